package io.gpuq.scheduler.sim;

import java.math.BigDecimal;

/**
 * A project's GPU use over the run: allocated GPU fraction × time, in GPU-hours, and what it cost at
 * the price of each node's GPU model and capacity type. Use on unpriced nodes counts in
 * {@code gpuHours} but adds nothing to {@code amount}.
 */
public record ProjectCost(BigDecimal gpuHours, BigDecimal amount, String currency) {
}
