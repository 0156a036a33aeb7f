package io.gpuq.scheduler.cost;

import java.math.BigDecimal;

/**
 * What one GPU of a node costs per hour. {@code gpuModel} is the price table's name for the node's model
 * when the table knows it (so cost series join {@code runai_gpu_hourly_price}), else the node's own;
 * {@code priced} is false when neither an override nor a model price applies, and the GPUs then cost 0.
 */
public record NodePrice(String gpuModel, String capacityType, BigDecimal perGpuHour, boolean priced) {
}
