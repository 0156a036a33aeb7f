package io.gpuq.scheduler.sim.scenario;

import java.math.BigDecimal;

/**
 * A YAML scalar. {@code value} is a {@link String}, a {@link BigDecimal} (every number, so prices and
 * fractions stay exact), a {@link Boolean}, or null for YAML's null.
 */
record YamlScalar(String path, int line, int column, Object value, String text) implements YamlNode {

    boolean isNull() {
        return value == null;
    }

    boolean isNumber() {
        return value instanceof BigDecimal;
    }

    @Override
    public String describe() {
        if (value == null) {
            return "null";
        }
        if (value instanceof BigDecimal) {
            return "the number " + text;
        }
        if (value instanceof Boolean) {
            return "the boolean " + text;
        }
        return "the text '" + text + "'";
    }
}
