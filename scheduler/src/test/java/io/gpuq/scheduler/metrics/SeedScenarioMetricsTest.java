package io.gpuq.scheduler.metrics;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.gpuq.scheduler.cost.PriceTable;
import io.gpuq.scheduler.cost.PriceTableSource;
import io.gpuq.scheduler.engine.model.CycleResult;
import io.gpuq.scheduler.engine.model.EvictionDecision;
import io.gpuq.scheduler.engine.model.GpuDemand;
import io.gpuq.scheduler.engine.model.PlacementDecision;
import io.gpuq.scheduler.engine.model.Workload;
import io.gpuq.scheduler.metrics.testing.MetricsEndpoint;
import io.gpuq.scheduler.metrics.testing.MutableClock;
import io.gpuq.scheduler.metrics.testing.Scrape;
import io.gpuq.scheduler.metrics.testing.ScriptedCluster;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The seed's 16-GPU cluster driven by the real engine, every DESIGN §5 family checked by scraping /metrics over HTTP. */
class SeedScenarioMetricsTest {

    private static final Instant T0 = Instant.parse("2026-05-01T00:00:00Z");
    private static final List<String> TEAMS = List.of("team-training", "team-inference", "team-research");

    private final MutableClock clock = new MutableClock(T0);
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private SchedulerMetrics metrics;
    private MetricsEndpoint endpoint;

    @BeforeEach
    void start() {
        metrics = new SchedulerMetrics(registry, clock, PriceTableSource.fixed(PriceTable.defaults()));
        endpoint = new MetricsEndpoint(registry);
    }

    @AfterEach
    void stop() throws Exception {
        endpoint.close();
    }

    @Test
    void beforeTheFirstCycleTheFixedFamiliesAreExposed() {
        Scrape s = endpoint.scrape();
        for (String result : List.of("success", "error", "conflict")) {
            assertThat(s.value("runai_scheduler_binds_total", "result", result)).isZero();
        }
        for (String reason : List.of("reclaim", "preempt", "orphan")) {
            assertThat(s.value("runai_scheduler_evictions_total", "reason", reason)).isZero();
        }
        assertThat(s.value("runai_scheduler_is_leader")).isZero();
        assertThat(s.value("runai_scheduler_cycle_duration_seconds_count")).isZero();
        assertThat(s.value("runai_gpu_hourly_price", "gpu_model", "H100", "capacity_type", "spot", "currency", "USD"))
                .isEqualTo(1.69);
        assertThat(s.value("runai_gpu_hourly_price", "gpu_model", "H100", "capacity_type", "on-demand",
                "currency", "USD")).isEqualTo(4.0);
        assertThat(s.value("runai_gpu_utilization_source_up")).as("no DCGM source configured").isZero();
        assertThat(s.samples("runai_gpu_utilization_per_project")).isEmpty();
        assertThat(s.families()).contains("jvm_memory_used_bytes");

        Cache<String, String> cache = Caffeine.newBuilder().recordStats().build();
        metrics.registerCache("lookups", cache);
        cache.put("a", "1");
        cache.getIfPresent("a");
        cache.getIfPresent("b");
        metrics.bindResult("success");
        metrics.bindResult("conflict");
        metrics.evicted("orphan");
        metrics.setLeader(true);
        s = endpoint.scrape();
        assertThat(s.value("runai_scheduler_binds_total", "result", "success")).isEqualTo(1);
        assertThat(s.value("runai_scheduler_binds_total", "result", "conflict")).isEqualTo(1);
        assertThat(s.value("runai_scheduler_evictions_total", "reason", "orphan")).isEqualTo(1);
        assertThat(s.value("runai_scheduler_is_leader")).isEqualTo(1);
        assertThat(s.value("caffeine_cache_hit_total", "cache", "lookups")).isEqualTo(1);
        assertThat(s.value("caffeine_cache_miss_total", "cache", "lookups")).isEqualTo(1);
        assertThat(s.value("caffeine_cache_estimated_size", "cache", "lookups")).isEqualTo(1);
        assertThatThrownBy(() -> metrics.bindResult("timeout")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("bind result 'timeout' is not one of [success, error, conflict]");
    }

    @Test
    void seedScenarioAllocationFairSharePendingAndWaitTimes() {
        ScriptedCluster c = ScriptedCluster.seed(clock, metrics);

        // t=10s: team-training alone borrows the whole cluster with four 4-GPU workloads submitted at t=0.
        for (int i = 0; i < 4; i++) {
            c.submitWhole("train-" + i, "team-training", 1, 4);
        }
        clock.advance(Duration.ofSeconds(10));
        CycleResult r = c.cycle();
        assertThat(r.placements()).hasSize(4);
        Scrape s = endpoint.scrape();
        assertThat(s.value("runai_allocated_gpus", "project", "team-training", "department", "default",
                "nodepool", "default")).isEqualTo(16);
        assertThat(s.value("runai_allocated_gpus", "project", "team-inference", "nodepool", "default")).isZero();
        assertThat(s.value("runai_allocated_gpu_count_per_project", "project", "team-training")).isEqualTo(16);
        assertThat(s.value("runai_project_fair_share_gpus", "project", "team-training", "nodepool", "default"))
                .isEqualTo(16);
        assertThat(s.value("runai_project_deserved_gpus", "project", "team-training", "nodepool", "default"))
                .isEqualTo(8);
        assertThat(s.value("runai_project_guaranteed_gpus", "project", "team-inference")).isEqualTo(4);
        assertThat(s.value("runai_project_info", "project", "team-research", "department", "default",
                "namespace", "team-research", "gpu_guaranteed_quota", "2")).isEqualTo(1);
        assertThat(s.value("runai_queue_info", "queue_name", "team-training", "nodepool", "default",
                "department", "default", "gpu_guaranteed_quota", "8")).isEqualTo(1);
        assertThat(s.value("runai_job_wait_time_seconds_count", "project", "team-training")).isEqualTo(4);
        assertThat(s.value("runai_job_wait_time_seconds_sum", "project", "team-training")).isEqualTo(40);
        assertThat(s.value("runai_job_wait_time_seconds_bucket", "project", "team-training", "le", "5.0")).isZero();
        assertThat(s.value("runai_job_wait_time_seconds_bucket", "project", "team-training", "le", "10.0"))
                .isEqualTo(4);
        assertThat(s.value("runai_job_wait_time_seconds_count", "project", "team-inference"))
                .as("every known project's histogram exists from its first cycle").isZero();
        for (String node : List.of("h100-0", "h100-1")) {
            assertThat(s.value("runai_gpu_count_per_node", "node", node, "modelName", "H100", "ready", "true",
                    "schedulable", "true")).isEqualTo(8);
            assertThat(s.value("runai_allocated_gpu_count_per_node", "node", node)).isEqualTo(8);
            assertThat(s.value("runai_fragmented_gpus_per_node", "node", node)).isZero();
        }
        assertThat(s.value("runai_allocated_gpu_count_per_workload", "workload_name", "train-0",
                "workload_type", "train", "project", "team-training")).isEqualTo(4);
        assertThat(s.value("runai_requested_gpus_per_workload", "workload_name", "train-0")).isEqualTo(4);
        assertThat(s.value("runai_wait_time_seconds_per_workload", "workload_name", "train-0",
                "project", "team-training")).isEqualTo(10);
        assertThat(s.sum("runai_pending_other_in_queue")).isZero();
        assertThat(s.value("runai_scheduler_cycle_duration_seconds_count")).isEqualTo(1);

        // t=60s: team-inference asks for its deserved 4 GPUs and reclaims them from team-training's newest work.
        clock.advance(Duration.ofSeconds(50));
        c.submitWhole("serve", "team-inference", 1, 4);
        r = c.cycle();
        assertThat(r.evictions()).extracting(EvictionDecision::workloadId).containsExactly("train-3");
        assertThat(r.placements()).extracting(PlacementDecision::workloadId).containsExactly("serve");
        s = endpoint.scrape();
        assertThat(s.value("runai_allocated_gpus", "project", "team-training", "nodepool", "default")).isEqualTo(12);
        assertThat(s.value("runai_allocated_gpus", "project", "team-inference", "nodepool", "default")).isEqualTo(4);
        assertThat(s.value("runai_pending_other_in_queue", "project", "team-training")).isEqualTo(1);
        assertThat(s.value("runai_pending_workloads", "project", "team-training", "reason", "OverQuota")).isEqualTo(1);
        assertThat(s.value("runai_pending_workloads", "project", "team-training", "reason", "Fragmentation")).isZero();
        assertThat(s.samples("runai_allocated_gpu_count_per_workload", "workload_name", "train-3"))
                .as("an evicted workload holds nothing").isEmpty();
        assertThat(s.value("runai_requested_gpus_per_workload", "workload_name", "train-3")).isEqualTo(4);
        assertThat(s.value("runai_wait_time_seconds_per_workload", "workload_name", "train-3")).isEqualTo(60);
        assertThat(s.value("runai_job_wait_time_seconds_count", "project", "team-inference")).isEqualTo(1);
        assertThat(s.value("runai_job_wait_time_seconds_sum", "project", "team-inference")).isZero();
        assertThat(s.value("runai_job_wait_time_seconds_count", "project", "team-training"))
                .as("wait is measured to the first placement only").isEqualTo(4);

        // t=120s: all three teams ask for more than they deserve: fair shares 9 / 5 / 2 (DESIGN §4).
        clock.advance(Duration.ofSeconds(60));
        c.submitWhole("serve-2", "team-inference", 1, 4);
        for (int i = 0; i < 4; i++) {
            c.submitWhole("research-" + i, "team-research", 1, 1);
        }
        c.cycle();
        s = endpoint.scrape();
        assertThat(s.value("runai_project_fair_share_gpus", "project", "team-training", "nodepool", "default"))
                .isEqualTo(9);
        assertThat(s.value("runai_project_fair_share_gpus", "project", "team-inference", "nodepool", "default"))
                .isEqualTo(5);
        assertThat(s.value("runai_project_fair_share_gpus", "project", "team-research", "nodepool", "default"))
                .isEqualTo(2);
        double total = 0;
        for (String team : TEAMS) {
            assertThat(s.value("runai_allocated_gpus", "project", team, "nodepool", "default"))
                    .as(team).isEqualTo(c.allocated(team));
            total += c.allocated(team);
            long waiting = c.pending.values().stream().filter(w -> w.project().equals(team)).count();
            assertThat(s.value("runai_pending_other_in_queue", "project", team)).as(team).isEqualTo(waiting);
            assertThat(s.sum("runai_pending_workloads", "project", team)).as(team).isEqualTo(waiting);
        }
        assertThat(total).isEqualTo(16);
        assertThat(s.sum("runai_allocated_gpu_count_per_node")).isEqualTo(16);
        assertThat(s.value("runai_scheduler_cycle_duration_seconds_count")).isEqualTo(3);
    }

    @Test
    void fractionsShowAsAllocatedAndFragmented() {
        ScriptedCluster c = ScriptedCluster.seed(clock, metrics);
        c.submit("chat-small", "team-inference", 2, GpuDemand.fraction(250, 1));
        c.submit("notebook", "team-research", 1, GpuDemand.fraction(300, 1));
        c.cycle();
        Scrape s = endpoint.scrape();
        assertThat(s.value("runai_allocated_gpus", "project", "team-inference", "nodepool", "default")).isEqualTo(0.5);
        assertThat(s.value("runai_allocated_gpu_count_per_workload", "workload_name", "chat-small")).isEqualTo(0.5);
        assertThat(s.value("runai_requested_gpus_per_workload", "workload_name", "notebook")).isEqualTo(0.3);
        assertThat(s.sum("runai_allocated_gpu_count_per_node")).isEqualTo(0.8);
        // However the engine packs the three pods, each partly used device's free part counts as fragmented.
        double used = c.running.values().stream().flatMap(w -> w.allocations().stream())
                .flatMap(a -> a.devices().stream()).map(d -> d.index() + "").distinct().count();
        assertThat(s.sum("runai_fragmented_gpus_per_node")).isCloseTo(used - 0.8, within(1e-9));
    }

    @Test
    void deletedProjectsNodesAndWorkloadsLoseTheirSeries() {
        ScriptedCluster c = ScriptedCluster.seed(clock, metrics)
                .node("spare-0", "spare-pool", "H100", 8, "on-demand", Map.of());
        c.submitWhole("train-0", "team-training", 1, 4);
        c.submitWhole("research-0", "team-research", 1, 1);
        c.cycle();
        clock.advance(Duration.ofMinutes(5));
        Scrape before = endpoint.scrape();
        assertThat(mentioning(before, "team-research")).contains("runai_allocated_gpus", "runai_project_info",
                "runai_queue_info", "runai_project_fair_share_gpus", "runai_project_deserved_gpus",
                "runai_pending_workloads", "runai_project_guaranteed_gpus", "runai_allocated_gpu_count_per_project",
                "runai_pending_other_in_queue", "runai_job_wait_time_seconds_count",
                "runai_project_gpu_cost_total", "runai_allocated_gpu_seconds_total");
        assertThat(mentioning(before, "train-0")).contains("runai_allocated_gpu_count_per_workload",
                "runai_requested_gpus_per_workload", "runai_wait_time_seconds_per_workload");
        assertThat(mentioning(before, "spare-0")).contains("runai_gpu_count_per_node",
                "runai_allocated_gpu_count_per_node", "runai_fragmented_gpus_per_node");
        assertThat(mentioning(before, "spare-pool")).contains("runai_fleet_gpu_cost_total",
                "runai_unallocated_gpu_cost_total");

        c.deleteProject("team-research");
        c.complete("train-0");
        c.deleteNode("spare-0");
        clock.advance(Duration.ofSeconds(1));
        c.cycle();
        Scrape after = endpoint.scrape();
        assertThat(mentioning(after, "team-research")).isEmpty();
        assertThat(mentioning(after, "research-0")).isEmpty();
        assertThat(mentioning(after, "train-0")).isEmpty();
        assertThat(mentioning(after, "spare-0")).isEmpty();
        assertThat(mentioning(after, "spare-pool")).isEmpty();
        assertThat(after.value("runai_project_gpu_cost_total", "project", "team-training"))
                .as("the remaining projects keep their counters").isGreaterThan(0);
    }

    @Test
    void aReportTheMetricsCannotFullyPlaceNeverThrows() {
        ScriptedCluster c = ScriptedCluster.seed(clock, metrics);
        Workload w = c.submitWhole("ghost", "team-training", 1, 2);
        c.cycle();
        // The node under a running workload vanishes from the snapshot while the workload is still reported.
        c.deleteNode("h100-0");
        c.deleteNode("h100-1");
        clock.advance(Duration.ofMinutes(1));
        c.cycle();
        Scrape s = endpoint.scrape();
        assertThat(s.value("runai_allocated_gpu_count_per_workload", "workload_name", w.id())).isEqualTo(2);
        assertThat(s.samples("runai_gpu_count_per_node")).isEmpty();
        assertThat(s.value("runai_scheduler_cycle_duration_seconds_count")).isEqualTo(2);
    }

    private static List<String> mentioning(Scrape s, String value) {
        return s.all().stream().filter(x -> x.labels().containsValue(value)).map(Scrape.Sample::name).distinct()
                .toList();
    }
}
