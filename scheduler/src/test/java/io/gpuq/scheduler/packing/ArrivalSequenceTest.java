package io.gpuq.scheduler.packing;

import io.gpuq.scheduler.engine.model.GpuDemand;
import io.gpuq.scheduler.engine.model.PodRequest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ArrivalSequenceTest {
    private static List<TracePod> trace(int n) {
        List<TracePod> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int milli = 100 * (1 + i % 9);
            out.add(new TracePod(PodRequest.of("p" + i, GpuDemand.fraction(milli, 1), 0, 0), milli));
        }
        return out;
    }

    private static long total(List<TracePod> pods) {
        return pods.stream().mapToLong(TracePod::gpuMilli).sum();
    }

    @Test
    void shufflesTheTraceThenAddsSamplesUpToTuneTimesCapacity() {
        List<TracePod> trace = trace(50);
        long capacity = total(trace);
        List<TracePod> seq = ArrivalSequence.build(trace, capacity, 1.3, 42);

        assertThat(new HashSet<>(seq.subList(0, 50))).as("the whole trace comes first")
                .containsExactlyInAnyOrderElementsOf(trace);
        assertThat(seq.subList(0, 50)).as("in a shuffled order").isNotEqualTo(trace);
        assertThat(trace).containsAll(seq.subList(50, seq.size()));
        assertThat(total(seq)).isLessThanOrEqualTo((long) (1.3 * capacity)).isGreaterThan((long) (1.3 * capacity) - 1000);
    }

    @Test
    void theSameSeedGivesTheSameSequenceAndAnotherSeedAnother() {
        List<TracePod> trace = trace(40);
        long capacity = total(trace);
        assertThat(ArrivalSequence.build(trace, capacity, 1.3, 7)).isEqualTo(ArrivalSequence.build(trace, capacity, 1.3, 7));
        assertThat(ArrivalSequence.build(trace, capacity, 1.3, 7)).isNotEqualTo(ArrivalSequence.build(trace, capacity, 1.3, 8));
    }

    @Test
    void aTraceLargerThanTheTargetIsCut() {
        List<TracePod> trace = trace(100);
        long capacity = total(trace) / 4;
        List<TracePod> seq = ArrivalSequence.build(trace, capacity, 1.0, 1);

        assertThat(total(seq)).isLessThanOrEqualTo(capacity);
        assertThat(seq.size()).isLessThan(100);
    }

    @Test
    void aTraceWithoutGpuPodsIsNotInflated() {
        List<TracePod> cpuOnly = List.of(new TracePod(PodRequest.of("c", GpuDemand.none(), 1000, 0), 0));
        assertThat(ArrivalSequence.build(cpuOnly, 8000, 1.3, 1)).hasSize(1);
    }
}
