package io.gpuq.scheduler.metrics;

import com.github.benmanes.caffeine.cache.Cache;
import io.gpuq.scheduler.cost.CostLedger;
import io.gpuq.scheduler.cost.CostRates;
import io.gpuq.scheduler.cost.CostTotals;
import io.gpuq.scheduler.cost.GpuUsage;
import io.gpuq.scheduler.cost.PriceTable;
import io.gpuq.scheduler.cost.PriceTableSource;
import io.gpuq.scheduler.cycle.CycleObserver;
import io.gpuq.scheduler.cycle.CycleReport;
import io.gpuq.scheduler.utilization.DcgmUtilization;
import io.gpuq.scheduler.utilization.PodShares;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

import java.time.InstantSource;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The scheduler's Prometheus metrics (DESIGN §5), computed from each completed cycle, plus the cluster
 * adapter's bind/eviction/leadership counts, cost accrual, GPU utilization, cache statistics and the
 * JVM's own metrics, all in the given registry.
 *
 * <p>Cost accrues continuously in {@code clock}'s time: the allocation after each cycle (the snapshot's
 * running workloads − evicted + placed) and the price table in force define rates, and the ledger
 * integrates them up to every cycle, price change and scrape. A new price table applies from the moment
 * it arrives, never to time already accrued.
 *
 * <p>{@link #cycleCompleted} runs on the cycle thread: it does O(nodes + pods) work, never waits on I/O
 * and never throws (a failure is logged and the previous values stay until the next cycle).
 */
public final class SchedulerMetrics implements CycleObserver {

    private static final Logger LOG = Logger.getLogger(SchedulerMetrics.class.getName());

    /** Cycles take milliseconds on small clusters and seconds on very large ones. */
    static final double[] CYCLE_BUCKETS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};
    /** Waits range from the next cycle to days in a busy queue. */
    static final double[] WAIT_BUCKETS = {1, 5, 10, 30, 60, 120, 300, 600, 1800, 3600, 7200, 14400, 28800, 86400,
        172800, 604800};

    private final PrometheusRegistry registry;
    private final Function<String, String> namespaceOfProject;
    private final DcgmUtilization utilization;
    private final CostLedger ledger;
    private final Object costLock = new Object();
    private final AtomicReference<MetricSnapshots> cycleFamilies = new AtomicReference<>(new MetricSnapshots());
    private final Histogram cycleDuration;
    private final Counter binds;
    private final Counter evictions;
    private final Gauge leader;
    private final WaitTimes waitTimes;
    private final CacheMetrics caches;
    private final Set<String> warnedUnpriced = new HashSet<>();
    private final AtomicBoolean leading = new AtomicBoolean();
    private volatile PriceTable prices;
    private GpuUsage usage = GpuUsage.NONE;
    /** False after this replica lost the lead: its counters stand still until it runs a cycle again. */
    private boolean accruing = true;

    /**
     * Metrics without GPU utilization (its family stays absent and the source reads as down); project
     * namespaces are taken to be the project names, the default of Project's {@code spec.namespace}.
     */
    public SchedulerMetrics(PrometheusRegistry registry, InstantSource clock, PriceTableSource prices) {
        this(registry, clock, prices, null, Function.identity());
    }

    /**
     * @param clock              the scheduler's clock; cost accrues in its time (a demo may run it faster)
     * @param prices             the price table in force and its changes
     * @param utilization        where GPU utilization comes from, or null when no Prometheus is configured
     * @param namespaceOfProject a project's namespace, for {@code runai_project_info}
     */
    public SchedulerMetrics(PrometheusRegistry registry, InstantSource clock, PriceTableSource prices,
                            DcgmUtilization utilization, Function<String, String> namespaceOfProject) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.namespaceOfProject = Objects.requireNonNull(namespaceOfProject, "namespaceOfProject");
        this.utilization = utilization;
        this.prices = Objects.requireNonNull(prices, "prices").current();
        this.ledger = new CostLedger(Objects.requireNonNull(clock, "clock"));

        registry.register((MultiCollector) cycleFamilies::get);
        registry.register(new CostCollector(ledger, () -> this.prices));
        registry.register(new UtilizationCollector(utilization));
        cycleDuration = Histogram.builder().name(MetricNames.CYCLE_DURATION_SECONDS)
                .help("Time one scheduling cycle took: snapshot to decisions.")
                .classicOnly()
                .classicUpperBounds(CYCLE_BUCKETS)
                .register(registry);
        Histogram wait = Histogram.builder().name(MetricNames.JOB_WAIT_TIME_SECONDS)
                .help("Time from a workload's submission to its first placement.")
                .labelNames("project")
                .classicOnly()
                .classicUpperBounds(WAIT_BUCKETS)
                .register(registry);
        waitTimes = new WaitTimes(wait);
        binds = Counter.builder().name(MetricNames.BINDS_TOTAL)
                .help("Pod bindings the scheduler attempted, by result.")
                .labelNames("result")
                .register(registry);
        MetricNames.BIND_RESULTS.forEach(binds::initLabelValues);
        evictions = Counter.builder().name(MetricNames.EVICTIONS_TOTAL)
                .help("Workloads the scheduler evicted, by reason.")
                .labelNames("reason")
                .register(registry);
        MetricNames.EVICTION_REASONS.forEach(evictions::initLabelValues);
        leader = Gauge.builder().name(MetricNames.IS_LEADER)
                .help("1 while this scheduler replica holds the leader lease, else 0.")
                .register(registry);
        leader.set(0);
        caches = new CacheMetrics(registry);
        if (utilization != null) {
            caches.register("gpu_utilization", utilization.cache());
        }
        JvmMetrics.builder().register(registry);
        synchronized (costLock) {
            ledger.switchTo(CostRates.of(usage, this.prices));
        }
        prices.subscribe(this::pricesChanged);
    }

    @Override
    public void cycleCompleted(CycleReport report) {
        try {
            CycleView view = CycleView.of(report);
            synchronized (costLock) {
                usage = view.usage();
                accruing = true;
                switchRates();
            }
            cycleFamilies.set(CycleFamilies.build(view, namespaceOfProject));
            waitTimes.update(view);
            cycleDuration.observe(report.took().toNanos() / 1e9);
            if (utilization != null) {
                utilization.attribute(view.podShares());
                utilization.refresh();
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "metrics not updated for the cycle at " + report.at()
                    + "; the previous values stay until the next cycle", e);
        }
    }

    /** Counts one pod binding: {@code result} is success, error or conflict. */
    public void bindResult(String result) {
        binds.labelValues(allowed(result, MetricNames.BIND_RESULTS, "bind result")).inc();
    }

    /** Counts one evicted workload: {@code reason} is reclaim, preempt or orphan. */
    public void evicted(String reason) {
        evictions.labelValues(allowed(reason, MetricNames.EVICTION_REASONS, "eviction reason")).inc();
    }

    /**
     * Whether this replica leads; {@code runai_scheduler_is_leader} is 1 while it does. A replica that
     * loses the lead stops describing the cluster: the per-cycle families are withdrawn and its cost
     * counters stop growing (they keep their values), so summing over replicas never counts a GPU
     * twice. Its next cycle, as leader again, brings both back.
     */
    public void setLeader(boolean isLeader) {
        leader.set(isLeader ? 1 : 0);
        if (leading.getAndSet(isLeader) && !isLeader) {
            cycleFamilies.set(new MetricSnapshots());
            synchronized (costLock) {
                accruing = false;
                switchRates();
            }
            if (utilization != null) {
                utilization.attribute(PodShares.NONE);
            }
            LOG.info("no longer the leader: cluster metrics withdrawn and cost accrual stopped until this replica "
                    + "schedules again");
        }
    }

    /** Exports the statistics of a Caffeine cache (built with {@code recordStats()}) as {@code cache="name"}. */
    public void registerCache(String name, Cache<?, ?> cache) {
        caches.register(Objects.requireNonNull(name, "name"), Objects.requireNonNull(cache, "cache"));
    }

    /** Everything accrued up to now (the live cost table of the demo reads it). */
    public CostTotals costs() {
        return ledger.totals();
    }

    /** The price table in force. */
    public PriceTable prices() {
        return prices;
    }

    public PrometheusRegistry registry() {
        return registry;
    }

    private void pricesChanged(PriceTable table) {
        synchronized (costLock) {
            prices = table;
            warnedUnpriced.clear();
            switchRates();
        }
    }

    /** Accrues up to now with the old rates, then prices the current usage with the table in force. */
    private void switchRates() {
        CostRates rates = CostRates.of(usage, prices);
        ledger.switchTo(accruing ? rates : rates.stopped());
        for (Map.Entry<String, String> e : rates.unpriced().entrySet()) {
            if (warnedUnpriced.add(e.getKey())) {
                LOG.warning("no price for " + e.getKey() + " (node " + e.getValue() + " and any others like it) in "
                        + prices.summary() + "; these GPUs accrue no cost until the price table lists them");
            }
        }
    }

    private static String allowed(String value, List<String> allowed, String what) {
        if (value == null || !allowed.contains(value)) {
            throw new IllegalArgumentException(what + " '" + value + "' is not one of " + allowed);
        }
        return value;
    }
}
