package io.gpuq.scheduler.cost;

import io.gpuq.scheduler.engine.model.GpuNode;
import io.gpuq.scheduler.engine.model.Project;
import io.gpuq.scheduler.engine.model.RunningWorkload;
import io.gpuq.scheduler.metrics.SchedulerMetrics;
import io.gpuq.scheduler.metrics.testing.MetricsEndpoint;
import io.gpuq.scheduler.metrics.testing.MutableClock;
import io.gpuq.scheduler.metrics.testing.Scrape;
import io.gpuq.scheduler.metrics.testing.ScriptedCluster;
import io.gpuq.scheduler.metrics.testing.SettablePrices;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static io.gpuq.scheduler.metrics.testing.Allocations.fraction;
import static io.gpuq.scheduler.metrics.testing.Allocations.node;
import static io.gpuq.scheduler.metrics.testing.Allocations.project;
import static io.gpuq.scheduler.metrics.testing.Allocations.report;
import static io.gpuq.scheduler.metrics.testing.Allocations.whole;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Cost accrual with allocations and prices known in advance: exact amounts, a mid-run price change, reconciliation. */
class CostAccrualTest {

    private static final Instant T0 = Instant.parse("2026-05-01T00:00:00Z");
    private static final NodeOverride P5 = new NodeOverride(Map.of("node.kubernetes.io/instance-type", "p5.48xlarge"),
            new BigDecimal("3.10"));
    private static final PriceTable FIRST = new PriceTable("USD", List.of(
            new ModelPrice("H100", "spot", new BigDecimal("1.69")),
            new ModelPrice("H100", "on-demand", new BigDecimal("4.00"))), List.of(P5));
    private static final PriceTable SECOND = new PriceTable("USD", List.of(
            new ModelPrice("H100", "spot", new BigDecimal("2.00")),
            new ModelPrice("H100", "on-demand", new BigDecimal("5.00"))), List.of(P5));

    /** A short-name spot node, an NFD-named on-demand node, and an overridden p5 node in a second pool. */
    private static final List<GpuNode> NODES = List.of(
            node("spot-0", "default", "H100", "spot", 8, Map.of()),
            node("od-0", "default", "NVIDIA-H100-80GB-HBM3", "ON_DEMAND", 8, Map.of()),
            node("p5-0", "inference-pool", "NVIDIA-H100-80GB-HBM3", "on-demand", 8,
                    Map.of("node.kubernetes.io/instance-type", "p5.48xlarge")));
    private static final List<Project> PROJECTS = List.of(
            project("a", "ml", Map.of("default", 8.0)),
            project("b", null, Map.of("default", 4.0, "inference-pool", 8.0)));

    private final MutableClock clock = new MutableClock(T0);

    private static List<RunningWorkload> firstAllocation() {
        return List.of(
                whole("a-train", "a", "spot-0", 0, 1, 2, 3),
                whole("b-train", "b", "od-0", 0, 1),
                fraction("b-chat", "b", "od-0", 2, 500),
                whole("b-serve", "b", "p5-0", 0, 1, 2, 3, 4, 5, 6, 7));
    }

    private static List<RunningWorkload> secondAllocation() {
        List<RunningWorkload> r = new ArrayList<>(firstAllocation());
        r.set(0, whole("a-train", "a", "spot-0", 0, 1, 2, 3, 4, 5, 6, 7));
        return r;
    }

    @Test
    void exactAmountsPerProjectWithAPriceChangeThatIsNotRetroactive() throws Exception {
        SettablePrices prices = new SettablePrices(FIRST);
        PrometheusRegistry registry = new PrometheusRegistry();
        SchedulerMetrics metrics = new SchedulerMetrics(registry, clock, prices);
        try (MetricsEndpoint endpoint = new MetricsEndpoint(registry)) {
            metrics.cycleCompleted(report(clock, NODES, PROJECTS, firstAllocation()));
            Scrape start = endpoint.scrape();
            assertThat(start.value("runai_project_gpu_cost_total", "project", "a")).isZero();
            assertThat(start.samples("runai_allocated_gpu_seconds_total", "project", "a"))
                    .as("one series per GPU type of each pool the project may use, from the first cycle")
                    .extracting(x -> x.labels().get("capacity_type") + " " + x.value())
                    .containsExactlyInAnyOrder("spot 0.0", "on-demand 0.0");
            assertThat(start.value("runai_fleet_gpu_cost_total", "nodepool", "default", "capacity_type", "spot")).isZero();

            clock.advance(Duration.ofHours(1));
            CostTotals hour = metrics.costs();
            assertThat(hour.projectCost("a")).isEqualByComparingTo("6.76");
            assertThat(hour.projectCost().get(new CostKeys.ProjectCost("b", "default", "default", "USD")))
                    .isEqualByComparingTo("10.00");
            assertThat(hour.projectCost().get(new CostKeys.ProjectCost("b", "default", "inference-pool", "USD")))
                    .as("the p5 override, not the on-demand H100 price").isEqualByComparingTo("24.80");
            assertThat(hour.fleetCost().get(new CostKeys.Capacity("default", "H100", "spot", "USD")))
                    .isEqualByComparingTo("13.52");
            assertThat(hour.fleetCost().get(new CostKeys.Capacity("default", "H100", "on-demand", "USD")))
                    .as("the NFD product name is priced as H100").isEqualByComparingTo("32.00");
            assertThat(hour.unallocatedCost().get(new CostKeys.Capacity("default", "H100", "on-demand", "USD")))
                    .as("5.5 idle GPUs").isEqualByComparingTo("22.00");
            assertThat(hour.projectGpuSeconds("b")).isEqualByComparingTo("37800");
            assertReconciles(hour);
            assertReconciles(endpoint.scrape());

            prices.set(SECOND);
            clock.advance(Duration.ofMinutes(30));
            metrics.cycleCompleted(report(clock, NODES, PROJECTS, secondAllocation()));
            clock.advance(Duration.ofMinutes(30));

            CostTotals two = metrics.costs();
            assertThat(two.projectCost("a")).as("6.76 at the old price, then 4 and 8 GPUs for half an hour at 2.00")
                    .isEqualByComparingTo("18.76");
            assertThat(two.projectCost().get(new CostKeys.ProjectCost("b", "default", "default", "USD")))
                    .isEqualByComparingTo("22.50");
            assertThat(two.projectCost().get(new CostKeys.ProjectCost("b", "default", "inference-pool", "USD")))
                    .isEqualByComparingTo("49.60");
            assertThat(two.projectGpuSeconds("a")).isEqualByComparingTo("36000");
            assertThat(two.unallocatedCost().get(new CostKeys.Capacity("default", "H100", "spot", "USD")))
                    .isEqualByComparingTo("10.76");
            assertThat(two.totalFleetCost()).isEqualByComparingTo("151.12");
            assertReconciles(two);

            Scrape end = endpoint.scrape();
            assertReconciles(end);
            assertThat(end.value("runai_project_gpu_cost_total", "project", "a", "department", "ml",
                    "nodepool", "default", "currency", "USD")).isCloseTo(18.76, within(1e-9));
            assertThat(end.value("runai_allocated_gpu_seconds_total", "project", "a", "department", "ml",
                    "nodepool", "default", "gpu_model", "H100", "capacity_type", "spot")).isEqualTo(36000);
            assertThat(end.value("runai_gpu_hourly_price", "gpu_model", "H100", "capacity_type", "spot",
                    "currency", "USD")).isEqualTo(2.0);
            assertThat(end.samples("runai_unallocated_gpu_cost_total", "nodepool", "inference-pool").get(0).value())
                    .as("the p5 node is fully allocated").isZero();
        }
    }

    @Test
    void aReplicaThatLosesTheLeadStopsAccruingAndWithdrawsItsClusterSeries() throws Exception {
        PrometheusRegistry registry = new PrometheusRegistry();
        SchedulerMetrics metrics = new SchedulerMetrics(registry, clock, PriceTableSource.fixed(FIRST));
        try (MetricsEndpoint endpoint = new MetricsEndpoint(registry)) {
            metrics.setLeader(true);
            metrics.cycleCompleted(report(clock, NODES, PROJECTS, firstAllocation()));
            clock.advance(Duration.ofHours(1));
            assertThat(metrics.costs().projectCost("a")).isEqualByComparingTo("6.76");

            metrics.setLeader(false);
            clock.advance(Duration.ofHours(1));
            Scrape standby = endpoint.scrape();
            assertThat(standby.value("runai_scheduler_is_leader")).isZero();
            assertThat(standby.samples("runai_allocated_gpus")).isEmpty();
            assertThat(standby.value("runai_project_gpu_cost_total", "project", "a"))
                    .as("kept, not growing").isCloseTo(6.76, within(1e-9));
            assertReconciles(standby);

            metrics.setLeader(true);
            metrics.cycleCompleted(report(clock, NODES, PROJECTS, firstAllocation()));
            clock.advance(Duration.ofHours(1));
            Scrape leading = endpoint.scrape();
            assertThat(leading.value("runai_project_gpu_cost_total", "project", "a")).isCloseTo(13.52, within(1e-9));
            assertThat(leading.value("runai_allocated_gpus", "project", "a")).isEqualTo(4);
        }
    }

    @Test
    void amountsDoNotDependOnHowOftenTheyAreRead() {
        MutableClock seldomClock = new MutableClock(T0);
        SchedulerMetrics often = new SchedulerMetrics(new PrometheusRegistry(), clock, PriceTableSource.fixed(FIRST));
        SchedulerMetrics seldom = new SchedulerMetrics(new PrometheusRegistry(), seldomClock, PriceTableSource.fixed(FIRST));
        often.cycleCompleted(report(clock, NODES, PROJECTS, firstAllocation()));
        seldom.cycleCompleted(report(seldomClock, NODES, PROJECTS, firstAllocation()));
        for (int minute = 0; minute < 90; minute++) {
            clock.advance(Duration.ofSeconds(47));
            often.costs();
        }
        seldomClock.advance(Duration.ofSeconds(47L * 90));
        assertThat(often.costs()).isEqualTo(seldom.costs());
        assertThat(seldom.costs().projectCost("a")).isEqualByComparingTo(
                new BigDecimal("1.69").multiply(BigDecimal.valueOf(4 * 47 * 90)).divide(BigDecimal.valueOf(3600)));
    }

    @Test
    void theSeedQueryGivesTheCostRateOfAFullySpotH100Project() {
        PrometheusRegistry registry = new PrometheusRegistry();
        SchedulerMetrics metrics = new SchedulerMetrics(registry, clock, PriceTableSource.fixed(PriceTable.defaults()));
        ScriptedCluster c = ScriptedCluster.seed(clock, metrics);
        for (int i = 0; i < 3; i++) {
            c.submitWhole("train-" + i, "team-training", 1, 4);
        }
        c.cycle();
        Scrape before = Scrape.of(text(registry));
        clock.advance(Duration.ofMinutes(10));
        Scrape after = Scrape.of(text(registry));

        double allocated = after.value("runai_allocated_gpus", "project", "team-training");
        double perHour = (after.value("runai_project_gpu_cost_total", "project", "team-training")
                - before.value("runai_project_gpu_cost_total", "project", "team-training")) * 6;
        assertThat(allocated).isEqualTo(12);
        // runai_allocated_gpus{project="team-training"} * 1.69, the seed's query, as written:
        assertThat(allocated * 1.69).isCloseTo(perHour, within(1e-9));
        assertThat(perHour).isCloseTo(20.28, within(1e-9));
    }

    @Test
    void aGpuModelWithoutAPriceCostsNothingAndIsReported() {
        List<String> warnings = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                warnings.add(r.getLevel() + " " + r.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger log = Logger.getLogger(SchedulerMetrics.class.getName());
        log.addHandler(capture);
        try {
            SchedulerMetrics metrics = new SchedulerMetrics(new PrometheusRegistry(), clock,
                    PriceTableSource.fixed(PriceTable.defaults()));
            List<GpuNode> nodes = List.of(node("a100-0", "default", "NVIDIA-A100-SXM4-80GB", "spot", 4, Map.of()));
            metrics.cycleCompleted(report(clock, nodes, PROJECTS, List.of(whole("x", "a", "a100-0", 0))));
            clock.advance(Duration.ofHours(1));
            metrics.cycleCompleted(report(clock, nodes, PROJECTS, List.of(whole("x", "a", "a100-0", 0))));
            CostTotals t = metrics.costs();
            assertThat(t.projectCost("a")).isEqualByComparingTo("0");
            assertThat(t.projectGpuSeconds("a")).as("usage is still counted").isEqualByComparingTo("3600");
            assertThat(t.fleetCost()).containsOnlyKeys(
                    new CostKeys.Capacity("default", "NVIDIA-A100-SXM4-80GB", "spot", "USD"));
            assertThat(warnings).filteredOn(w -> w.startsWith("WARNING no price for GPU model NVIDIA-A100-SXM4-80GB, "
                    + "capacity type spot (node a100-0")).hasSize(1);
        } finally {
            log.removeHandler(capture);
        }
    }

    @Test
    void aNodeHoldingMoreThanItReportsIsBilledForWhatItHolds() {
        GpuUsage usage = new GpuUsage(List.of(node("n", "default", "H100", "spot", 2, Map.of())), PROJECTS,
                Map.of("n", Map.of("a", 3000L)));
        CostRates rates = CostRates.of(usage, PriceTable.defaults());
        CostKeys.Capacity cap = new CostKeys.Capacity("default", "H100", "spot", "USD");
        assertThat(rates.fleetRate().get(cap)).isEqualByComparingTo(new BigDecimal("1.69").multiply(BigDecimal.valueOf(3000)));
        assertThat(rates.unallocatedRate().get(cap)).isEqualByComparingTo("0");
        assertThat(rates.projectRate().get(new CostKeys.ProjectCost("a", "ml", "default", "USD")))
                .isEqualByComparingTo(rates.fleetRate().get(cap));
    }

    private static void assertReconciles(CostTotals t) {
        assertThat(t.totalProjectCost().add(t.totalUnallocatedCost())).isEqualByComparingTo(t.totalFleetCost());
    }

    private static void assertReconciles(Scrape s) {
        double projects = s.sum("runai_project_gpu_cost_total");
        double idle = s.sum("runai_unallocated_gpu_cost_total");
        double fleet = s.sum("runai_fleet_gpu_cost_total");
        assertThat(fleet).isGreaterThan(0);
        assertThat(projects + idle).isCloseTo(fleet, within(1e-9 * fleet));
    }

    private static String text(PrometheusRegistry registry) {
        try {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter.create().write(out, registry.scrape());
            return out.toString(java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
