package io.gpuq.api;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The workload types of DESIGN §3.2 and the PriorityClass each maps to. A class value of 100 or more
 * is non-preemptible.
 */
public enum WorkloadType {
    INFERENCE("inference", 125),
    INTERACTIVE("interactive", 100),
    INTERACTIVE_PREEMPTIBLE("interactive-preemptible", 75),
    TRAIN("train", 50),
    BUILD("build", 25);

    /** Values at or above this are non-preemptible. */
    public static final int NON_PREEMPTIBLE_THRESHOLD = 100;
    public static final WorkloadType DEFAULT = TRAIN;

    private final String label;
    private final int priority;

    WorkloadType(String label, int priority) {
        this.label = label;
        this.priority = priority;
    }

    /** The value of the label {@code runai/workload-type} and the name of the PriorityClass. */
    public String label() {
        return label;
    }

    public String priorityClassName() {
        return label;
    }

    public int priority() {
        return priority;
    }

    public boolean preemptible() {
        return isPreemptible(priority);
    }

    public static boolean isPreemptible(int priorityValue) {
        return priorityValue < NON_PREEMPTIBLE_THRESHOLD;
    }

    public static Optional<WorkloadType> fromLabel(String value) {
        if (value == null) {
            return Optional.empty();
        }
        String v = value.trim().toLowerCase(Locale.ROOT);
        for (WorkloadType t : values()) {
            if (t.label.equals(v)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** "inference, interactive, …" for error messages. */
    public static String allowedLabels() {
        return Arrays.stream(values()).map(WorkloadType::label).collect(Collectors.joining(", "));
    }
}
