package io.gpuq.scheduler.sim;

import io.gpuq.scheduler.engine.model.DeviceShare;
import io.gpuq.scheduler.engine.model.GpuNode;
import io.gpuq.scheduler.engine.model.PodAllocation;
import io.gpuq.scheduler.sim.scenario.PriceSpec;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class CostMeterTest {
    private static final Map<String, GpuNode> NODES = Map.of(
            "spot", new GpuNode("spot", null, "H100", 81920, 8, -1, -1, "spot", Map.of(), List.of(), true, false),
            "od", new GpuNode("od", null, "H100", 81920, 8, -1, -1, "on-demand", Map.of(), List.of(), true, false),
            "free", new GpuNode("free", null, "T4", 16384, 1, -1, -1, "spot", Map.of(), List.of(), true, false));
    private static final PriceTable PRICES = new PriceTable(List.of(
            new PriceSpec("H100", "spot", new BigDecimal("1.69"), "USD"),
            new PriceSpec("H100", "on-demand", new BigDecimal("4.00"), "USD")));

    private static PodAllocation pod(String node, int... milliPerDevice) {
        DeviceShare[] shares = new DeviceShare[milliPerDevice.length];
        for (int i = 0; i < shares.length; i++) {
            shares[i] = new DeviceShare(i, milliPerDevice[i]);
        }
        return new PodAllocation(node + "-pod", node, List.of(shares), 0, 0);
    }

    @Test
    void pricesAllocatedFractionTimesTimeAtTheNodesModelAndCapacityType() {
        CostMeter meter = new CostMeter(NODES::get);
        meter.start("train", "a", List.of(pod("spot", 1000, 1000)), 0);
        meter.stop("train", 1800);
        meter.start("half", "a", List.of(pod("od", 500)), 100);
        meter.stop("half", 3700);

        ProjectCost a = meter.costs(List.of("a"), PRICES).get("a");
        assertThat(a.gpuHours()).as("2 GPUs × 0.5 h + 0.5 GPU × 1 h").isEqualByComparingTo("1.5");
        assertThat(a.amount()).as("1 × 1.69 + 0.5 × 4.00").isEqualByComparingTo("3.69");
        assertThat(a.currency()).isEqualTo("USD");
    }

    @Test
    void unpricedUseCountsHoursButCostsNothingAndIdleProjectsAreListedAtZero() {
        CostMeter meter = new CostMeter(NODES::get);
        meter.start("t4", "a", List.of(pod("free", 1000)), 0);
        meter.stopAll(7200);

        Map<String, ProjectCost> costs = meter.costs(List.of("a", "b"), PRICES);
        assertThat(costs).containsOnlyKeys("a", "b");
        assertThat(costs.get("a").gpuHours()).isEqualByComparingTo("2");
        assertThat(costs.get("a").amount()).isEqualByComparingTo("0");
        assertThat(costs.get("b").gpuHours()).isEqualByComparingTo("0");
        assertThat(costs.get("b").amount()).isEqualByComparingTo("0");
    }

    @Test
    void longRunsStayExactToTheMicroDollar() {
        CostMeter meter = new CostMeter(NODES::get);
        for (int i = 0; i < 1000; i++) {
            meter.start("w" + i, "a", List.of(pod("spot", 333)), i * 7L);
            meter.stop("w" + i, i * 7L + 7);
        }
        ProjectCost a = meter.costs(List.of("a"), PRICES).get("a");
        assertThat(a.gpuHours()).as("1000 × 0.333 × 7 s = 2331 GPU-s").isEqualByComparingTo("0.6475");
        assertThat(a.amount()).as("0.6475 × 1.69").isEqualByComparingTo("1.094275");
    }

    @Test
    void stoppingTwiceOrSomethingNeverStartedChangesNothing() {
        CostMeter meter = new CostMeter(NODES::get);
        meter.start("w", "a", List.of(pod("spot", 1000)), 0);
        meter.stop("w", 3600);
        meter.stop("w", 7200);
        meter.stop("never", 7200);
        assertThat(meter.costs(List.of("a"), PRICES).get("a").gpuHours()).isEqualByComparingTo("1");
    }

    @Test
    void anEmptyPriceTableDefaultsToUsd() {
        assertThat(new PriceTable(List.of()).currency()).isEqualTo("USD");
        assertThat(new PriceTable(List.of()).perGpuHour("H100", "spot")).isNull();
    }
}
