package io.gpuq.scheduler.packing;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class AllocationCurveTest {
    @Test
    void readsTheMeanOfSamplesWhoseArrivedPercentRoundsToThePoint() {
        AllocationCurve c = new AllocationCurve(10_000, 130);
        c.record(9_960, 9_000);   // 99.6% arrived → pool 100, 90% allocated
        c.record(10_040, 9_400);  // 100.4% → pool 100, 94%
        c.record(10_060, 9_500);  // 100.6% → pool 101

        assertThat(c.allocatedAt(100)).isCloseTo(92.0, within(1e-9));
        assertThat(c.allocatedAt(101)).isCloseTo(95.0, within(1e-9));
    }

    @Test
    void anEmptyPointFallsBackToItsNeighbours() {
        AllocationCurve c = new AllocationCurve(1_000, 130);
        c.record(490, 400);  // pool 49
        c.record(510, 500);  // pool 51

        assertThat(c.allocatedAt(50)).isCloseTo(45.0, within(1e-9));
        assertThat(c.allocatedAt(80)).isNaN();
        assertThat(c.allocatedAt(500)).isNaN();
    }
}
