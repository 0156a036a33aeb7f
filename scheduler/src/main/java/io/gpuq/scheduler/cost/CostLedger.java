package io.gpuq.scheduler.cost;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.InstantSource;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * Integrates the cost rates over the clock's time. The rates in force change only when the allocation or
 * the price table changes ({@link #switchTo}); before a change, and before every read, everything is
 * accrued up to the clock's present with the rates that were in force, so amounts are exact integrals of
 * allocation × time × price however often, or seldom, anyone reads them. A change never touches what
 * was accrued before it.
 *
 * <p>Accumulators are exact: milli-GPU × milliseconds for usage and price × milli-GPU × milliseconds for
 * money; they are converted to GPU-seconds and currency units only when read. Thread-safe.
 */
public final class CostLedger {

    private static final BigDecimal MILLI_GPU_MILLIS_PER_CURRENCY_HOUR = BigDecimal.valueOf(1000L * 3_600_000L);

    private final InstantSource clock;
    private CostRates rates = CostRates.NONE;
    private long accruedTo = Long.MIN_VALUE;
    private final Map<CostKeys.Usage, BigDecimal> usage = new LinkedHashMap<>();
    private final Map<CostKeys.ProjectCost, BigDecimal> project = new LinkedHashMap<>();
    private final Map<CostKeys.Capacity, BigDecimal> unallocated = new LinkedHashMap<>();
    private final Map<CostKeys.Capacity, BigDecimal> fleet = new LinkedHashMap<>();

    public CostLedger(InstantSource clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Accrues up to now with the rates in force, then makes {@code next} the rates from now on. Series
     * that {@code next} does not have are dropped (a deleted project, a pool without nodes); new ones
     * start at 0.
     */
    public synchronized void switchTo(CostRates next) {
        accrue();
        rates = Objects.requireNonNull(next, "next");
        align(usage, next.usageMilli().keySet());
        align(project, next.projectRate().keySet());
        align(unallocated, next.unallocatedRate().keySet());
        align(fleet, next.fleetRate().keySet());
    }

    /** Everything accrued up to now. */
    public synchronized CostTotals totals() {
        accrue();
        return new CostTotals(
                convert(usage, v -> v.movePointLeft(6)),
                convert(project, CostLedger::toCurrency),
                convert(unallocated, CostLedger::toCurrency),
                convert(fleet, CostLedger::toCurrency));
    }

    private void accrue() {
        long now = clock.millis();
        if (accruedTo == Long.MIN_VALUE || now <= accruedTo) {
            // The first reading only starts the clock; a clock that steps back accrues nothing until it
            // passes the last point again.
            accruedTo = Math.max(accruedTo, now);
            return;
        }
        BigDecimal elapsed = BigDecimal.valueOf(now - accruedTo);
        accruedTo = now;
        rates.usageMilli().forEach((k, milli) -> {
            if (milli != 0) {
                usage.merge(k, elapsed.multiply(BigDecimal.valueOf(milli)), BigDecimal::add);
            }
        });
        add(project, rates.projectRate(), elapsed);
        add(unallocated, rates.unallocatedRate(), elapsed);
        add(fleet, rates.fleetRate(), elapsed);
    }

    private static <K> void add(Map<K, BigDecimal> into, Map<K, BigDecimal> rate, BigDecimal elapsed) {
        rate.forEach((k, r) -> {
            if (r.signum() != 0) {
                into.merge(k, r.multiply(elapsed), BigDecimal::add);
            }
        });
    }

    private static <K> void align(Map<K, BigDecimal> accumulators, Set<K> keys) {
        accumulators.keySet().retainAll(keys);
        for (K k : keys) {
            accumulators.putIfAbsent(k, BigDecimal.ZERO);
        }
    }

    private static <K> Map<K, BigDecimal> convert(Map<K, BigDecimal> raw, Function<BigDecimal, BigDecimal> unit) {
        Map<K, BigDecimal> out = new LinkedHashMap<>();
        raw.forEach((k, v) -> out.put(k, unit.apply(v)));
        return Collections.unmodifiableMap(out);
    }

    private static BigDecimal toCurrency(BigDecimal priceMilliGpuMillis) {
        return priceMilliGpuMillis.divide(MILLI_GPU_MILLIS_PER_CURRENCY_HOUR, MathContext.DECIMAL128);
    }
}
