package io.gpuq.scheduler.engine.fairshare;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FairShareCalculatorTest {
    private static final long G = FairShareCalculator.UNIT;

    private static QueueDemand q(String name, double deserved, double request, double weight, int priority,
                                 long order) {
        return new QueueDemand(name, Math.round(deserved * G), Math.round(request * G), weight, priority, order);
    }

    @Test
    void seedWorkedExample() {
        long[] s = FairShareCalculator.divide(16 * G, List.of(
                q("team-training", 8, 16, 3, 100, 0),
                q("team-inference", 4, 16, 1, 100, 1),
                q("team-research", 2, 16, 1, 100, 2)));
        assertThat(s).containsExactly(9 * G, 5 * G, 2 * G);
    }

    @Test
    void tieOnRemainderGoesToTheOlderQueue() {
        long[] s = FairShareCalculator.divide(16 * G, List.of(
                q("team-training", 8, 16, 3, 100, 0),
                q("team-inference", 4, 16, 1, 100, 2),
                q("team-research", 2, 16, 1, 100, 1)));
        assertThat(s).containsExactly(9 * G, 4 * G, 3 * G);
    }

    @Test
    void queueThatWantsLessThanItsSliceGetsItsDemandAndTheRestIsResplit() {
        // surplus 10 split 1:1:1 = 3.33 each; "small" wants only 1, the other two re-split 9 → 4.5/4.5
        // → floors 4/4, the leftover GPU to the older of the tied remainders.
        long[] s = FairShareCalculator.divide(12 * G, List.of(
                q("small", 0, 1, 1, 100, 0),
                q("a", 1, 20, 1, 100, 1),
                q("b", 1, 20, 1, 100, 2)));
        assertThat(s).containsExactly(1 * G, 6 * G, 5 * G);
    }

    @Test
    void higherPriorityBucketTakesTheWholeSurplusFirst() {
        long[] s = FairShareCalculator.divide(10 * G, List.of(
                q("low", 2, 10, 5, 50, 0),
                q("high", 2, 10, 1, 200, 1)));
        assertThat(s).containsExactly(2 * G, 8 * G);
    }

    @Test
    void lowerBucketGetsWhatTheHigherOneCannotUse() {
        long[] s = FairShareCalculator.divide(10 * G, List.of(
                q("low", 2, 10, 1, 50, 0),
                q("high", 2, 3, 1, 200, 1)));
        assertThat(s).containsExactly(7 * G, 3 * G);
    }

    @Test
    void weightZeroTakesNoSurplus() {
        long[] s = FairShareCalculator.divide(10 * G, List.of(
                q("zero", 2, 10, 0, 100, 0),
                q("one", 2, 10, 1, 100, 1)));
        assertThat(s).containsExactly(2 * G, 8 * G);
    }

    @Test
    void deservedIsCappedByRequest() {
        long[] s = FairShareCalculator.divide(16 * G, List.of(
                q("idle", 8, 0, 1, 100, 0),
                q("busy", 4, 16, 1, 100, 1)));
        assertThat(s).containsExactly(0, 16 * G);
    }

    @Test
    void overCommittedDeservedIsSplitInProportion() {
        long[] s = FairShareCalculator.divide(10 * G, List.of(
                q("a", 10, 10, 1, 100, 0),
                q("b", 10, 10, 1, 100, 1)));
        assertThat(s).containsExactly(5 * G, 5 * G);
    }

    @Test
    void fractionalQuotasKeepTheLastPartialGpu() {
        long[] s = FairShareCalculator.divide(4 * G, List.of(
                q("a", 0.5, 4, 1, 100, 0),
                q("b", 1, 4, 1, 100, 1)));
        assertThat(s[0] + s[1]).isEqualTo(4 * G);
        // surplus 2.5 split 1:1 → floors 1/1, the last half GPU to the larger (tied) remainder of the older queue
        assertThat(s).containsExactly(2000, 2000);
    }

    @Property(tries = 300)
    void sharesNeverExceedCapacityOrDemandAndUseWhatIsWanted(
            @ForAll @IntRange(min = 0, max = 64) int capacityGpus,
            @ForAll @Size(min = 1, max = 8) List<@IntRange(min = 0, max = 40) Integer> requests,
            @ForAll @IntRange(min = 0, max = 1000) int seed) {
        java.util.Random rnd = new java.util.Random(seed);
        List<QueueDemand> qs = new ArrayList<>();
        long wanted = 0;
        long deservedSum = 0;
        for (int i = 0; i < requests.size(); i++) {
            long deserved = rnd.nextInt(10) * G;
            long request = requests.get(i) * G;
            qs.add(new QueueDemand("q" + i, deserved, request, 1 + rnd.nextInt(4), 100, i));
            wanted += request;
            deservedSum += Math.min(deserved, request);
        }
        long capacity = capacityGpus * G;
        long[] s = FairShareCalculator.divide(capacity, qs);
        long total = 0;
        for (int i = 0; i < s.length; i++) {
            assertThat(s[i]).isBetween(0L, qs.get(i).requestable());
            total += s[i];
        }
        assertThat(total).isLessThanOrEqualTo(capacity);
        // Work-conserving: everything wanted is handed out up to the capacity.
        assertThat(total).isEqualTo(Math.min(capacity, wanted));
        if (deservedSum <= capacity) {
            for (int i = 0; i < s.length; i++) {
                assertThat(s[i]).isGreaterThanOrEqualTo(Math.min(qs.get(i).deserved(), qs.get(i).requestable()));
            }
        }
    }
}
