package io.gpuq.scheduler.cluster;

import io.fabric8.kubernetes.api.model.Quantity;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;

/** Kubernetes quantities in the engine's units: CPU in millicores, memory in MiB (rounded up). */
final class Quantities {
    private static final BigDecimal MIB = BigDecimal.valueOf(1024L * 1024L);

    private Quantities() {
    }

    static long cpuMillis(Map<String, Quantity> resources) {
        Quantity q = resources == null ? null : resources.get("cpu");
        if (q == null) {
            return 0;
        }
        return Quantity.getAmountInBytes(q).multiply(BigDecimal.valueOf(1000)).setScale(0, RoundingMode.CEILING).longValue();
    }

    static long memoryMiB(Map<String, Quantity> resources) {
        Quantity q = resources == null ? null : resources.get("memory");
        if (q == null) {
            return 0;
        }
        return Quantity.getAmountInBytes(q).divide(MIB, 0, RoundingMode.CEILING).longValue();
    }

    /** A whole-number resource such as {@code nvidia.com/gpu}; 0 when absent or not a whole number. */
    static int count(Map<String, Quantity> resources, String name) {
        Quantity q = resources == null ? null : resources.get(name);
        if (q == null) {
            return 0;
        }
        BigDecimal v = Quantity.getAmountInBytes(q);
        try {
            return v.intValueExact();
        } catch (ArithmeticException e) {
            return 0;
        }
    }
}
