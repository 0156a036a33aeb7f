package io.gpuq.scheduler.chargeback;

import java.util.Arrays;
import java.util.stream.Collectors;

/** What a chargeback sums by; {@link #label()} is the label of the cost series it groups on. */
public enum GroupBy {
    PROJECT("project"),
    DEPARTMENT("department"),
    NODEPOOL("nodepool");

    private final String label;

    GroupBy(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** @throws ChargebackException (bad request) for anything but project, department or nodepool */
    public static GroupBy parse(String text) {
        for (GroupBy g : values()) {
            if (g.label.equals(text)) {
                return g;
            }
        }
        throw ChargebackException.badRequest("groupBy '" + text + "' is not supported; use one of " + names());
    }

    static String names() {
        return Arrays.stream(values()).map(GroupBy::label).collect(Collectors.joining(", "));
    }
}
