package io.gpuq.webhook.admission;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Denials and warnings collected by the rules of one review, in the order found, without repeats. */
final class Findings {

    private final Set<String> denials = new LinkedHashSet<>();
    private final Set<String> warnings = new LinkedHashSet<>();

    void deny(String message) {
        denials.add(message);
    }

    void warn(String message) {
        warnings.add(message);
    }

    List<String> denials() {
        return new ArrayList<>(denials);
    }

    List<String> warnings() {
        return new ArrayList<>(warnings);
    }

    boolean denied() {
        return !denials.isEmpty();
    }
}
