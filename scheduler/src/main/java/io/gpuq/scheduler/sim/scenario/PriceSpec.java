package io.gpuq.scheduler.sim.scenario;

import java.math.BigDecimal;

/** The price of one GPU-hour of a GPU model on a capacity type (spot, on-demand, …). */
public record PriceSpec(String gpuModel, String capacityType, BigDecimal perGpuHour, String currency) {
}
