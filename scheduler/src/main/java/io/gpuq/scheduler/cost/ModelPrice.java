package io.gpuq.scheduler.cost;

import java.math.BigDecimal;
import java.util.Objects;

/** The price of one GPU-hour of a GPU model bought as one capacity type (spot, on-demand, reserved). */
public record ModelPrice(String gpuModel, String capacityType, BigDecimal perGpuHour) {
    public ModelPrice {
        Objects.requireNonNull(gpuModel, "gpuModel");
        capacityType = CapacityTypes.normalize(capacityType);
        Objects.requireNonNull(perGpuHour, "perGpuHour");
        if (perGpuHour.signum() < 0) {
            throw new IllegalArgumentException("price of " + gpuModel + " " + capacityType + " is negative: "
                    + perGpuHour.toPlainString());
        }
    }
}
