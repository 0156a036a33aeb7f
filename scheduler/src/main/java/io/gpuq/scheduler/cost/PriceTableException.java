package io.gpuq.scheduler.cost;

import java.util.List;

/** A price table document that cannot be used; {@link #errors()} lists every problem found, each with its place. */
public final class PriceTableException extends Exception {
    private final List<String> errors;

    public PriceTableException(String source, List<String> errors) {
        super(source + ": " + String.join("; ", errors));
        this.errors = List.copyOf(errors);
    }

    public List<String> errors() {
        return errors;
    }
}
