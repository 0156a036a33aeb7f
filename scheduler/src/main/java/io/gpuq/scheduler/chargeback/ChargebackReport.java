package io.gpuq.scheduler.chargeback;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * A bill over a range: one row per group (and currency), the cost of GPUs nobody held, and the fleet's
 * cost. Rows plus unallocated add up to the fleet, within Prometheus' extrapolation at the range's ends.
 */
public record ChargebackReport(Instant from, Instant to, GroupBy groupBy, List<Row> rows,
                               List<Amount> unallocated, List<Amount> fleet) {

    /** Costs and GPU-hours are rounded to this many decimals. */
    public static final int SCALE = 6;

    public ChargebackReport {
        rows = List.copyOf(rows);
        unallocated = List.copyOf(unallocated);
        fleet = List.copyOf(fleet);
    }

    /** One group's GPU-hours and cost in one currency. */
    public record Row(String name, BigDecimal gpuHours, BigDecimal cost, String currency) {
    }

    public record Amount(BigDecimal cost, String currency) {
    }
}
