package io.gpuq.scheduler.cost;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Objects;

/**
 * A price for the nodes whose labels match every entry of {@code selector}, whatever their GPU model or
 * capacity type (for example a negotiated price of one instance type).
 */
public record NodeOverride(Map<String, String> selector, BigDecimal perGpuHour) {
    public NodeOverride {
        selector = Map.copyOf(selector);
        if (selector.isEmpty()) {
            throw new IllegalArgumentException("a node override needs at least one selector label");
        }
        Objects.requireNonNull(perGpuHour, "perGpuHour");
        if (perGpuHour.signum() < 0) {
            throw new IllegalArgumentException("override price is negative: " + perGpuHour.toPlainString());
        }
    }

    public boolean matches(Map<String, String> labels) {
        for (Map.Entry<String, String> e : selector.entrySet()) {
            if (!e.getValue().equals(labels.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }
}
