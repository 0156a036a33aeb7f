package io.gpuq.scheduler.packing;

import io.gpuq.scheduler.engine.model.GpuDemand;
import io.gpuq.scheduler.engine.model.GpuNode;
import io.gpuq.scheduler.engine.model.PodRequest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PackingBenchmarkTest {
    private static final List<Long> SEEDS = Seeds.parse("42-51");

    private static GpuNode node(String name, int gpus) {
        return GpuNode.simple(name, "default", "T4", 16_384, gpus, 64_000, 262_144);
    }

    private static TracePod pod(String name, GpuDemand gpu) {
        return new TracePod(PodRequest.of(name, gpu, 1_000, 1_000), gpu.totalMilliOn(16_384));
    }

    @Test
    void aClusterThatFitsEverythingLeavesNothingUnallocatedAtFullArrival() {
        List<TracePod> pods = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            pods.add(pod("w" + i, GpuDemand.whole(1)));
        }
        PackingTrace trace = new PackingTrace("ones", List.of(node("a", 2), node("b", 2)), pods);
        PackingReport r = new PackingBenchmark(trace).run(List.of("default", "binpack", "spread"), SEEDS, 1.3);

        assertThat(r.trace()).isEqualTo("ones");
        assertThat(r.nodes()).isEqualTo(2);
        assertThat(r.gpus()).isEqualTo(4);
        assertThat(r.policies()).extracting(PackingReport.PolicyResult::policy).containsExactly("default", "binpack", "spread");
        for (PackingReport.PolicyResult p : r.policies()) {
            assertThat(p.unallocatedPctAtArrived100()).isZero();
            assertThat(p.perSeed()).hasSize(10).containsOnly(0.0);
            // One GPU arrives per pod: 25% arrived leaves 75% unallocated, and so on; the fifth pod fails.
            assertThat(p.curve()).containsExactly(
                    new PackingReport.CurvePoint(25, 75.0), new PackingReport.CurvePoint(50, 50.0),
                    new PackingReport.CurvePoint(75, 25.0), new PackingReport.CurvePoint(100, 0.0),
                    new PackingReport.CurvePoint(125, 0.0));
        }
    }

    @Test
    void spreadingHalvesStrandsTheGpuAWholePodNeeded() {
        PackingTrace trace = new PackingTrace("halves", List.of(node("a", 2)), List.of(
                pod("h1", GpuDemand.fraction(500, 1)), pod("h2", GpuDemand.fraction(500, 1)),
                pod("w", GpuDemand.whole(1))));
        PackingReport r = new PackingBenchmark(trace).run(List.of("binpack", "spread"), SEEDS, 1.0);

        assertThat(r.policies().get(0).perSeed()).as("binpack stacks the halves").containsOnly(0.0);
        assertThat(r.policies().get(1).perSeed()).as("spread splits them when they come first")
                .containsOnly(0.0, 50.0).contains(50.0);
    }

    @Test
    void medianOfAnEvenCountIsTheMeanOfTheMiddlePair() {
        assertThat(PackingBenchmark.median(new double[] {4, 1, 3, 2})).isEqualTo(2.5);
        assertThat(PackingBenchmark.median(new double[] {5, 1, 3})).isEqualTo(3.0);
        assertThat(PackingBenchmark.median(new double[] {1, Double.NaN})).isNaN();
    }

    @Test
    void badArgumentsAreRejected() {
        PackingTrace noGpus = new PackingTrace("cpu", List.of(node("a", 0)), List.of(pod("c", GpuDemand.none())));
        assertThatThrownBy(() -> new PackingBenchmark(noGpus))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no GPUs");
        PackingBenchmark b = new PackingBenchmark(new PackingTrace("t", List.of(node("a", 1)),
                List.of(pod("w", GpuDemand.whole(1)))));
        assertThatThrownBy(() -> b.run(List.of("default"), List.of(), 1.3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("seed");
        assertThatThrownBy(() -> b.run(List.of("default"), List.of(1L), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("tune must be > 0 and <= 10, was 0.0");
        assertThatThrownBy(() -> b.run(List.of("worstfit"), List.of(1L), 1.3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("allowed: default, binpack, spread");
    }

    @Test
    void belowFullArrivalTheHundredPercentFigureIsMissing() {
        PackingBenchmark b = new PackingBenchmark(new PackingTrace("t", List.of(node("a", 4)),
                List.of(pod("w", GpuDemand.whole(1)))));
        PackingReport.PolicyResult p = b.run(List.of("binpack"), List.of(1L), 0.5).policies().get(0);
        assertThat(p.unallocatedPctAtArrived100()).isNaN();
        assertThat(p.curve()).extracting(PackingReport.CurvePoint::arrivedPct).allSatisfy(x -> assertThat(x).isLessThanOrEqualTo(50));
    }
}
