package io.gpuq.scheduler.runaijob;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class WorkQueueTest {

    private final WorkQueue<String> queue = new WorkQueue<>(Duration.ofMillis(10), Duration.ofMillis(80), "test-timer");

    @AfterEach
    void stop() {
        queue.shutDown();
    }

    @Test
    void aKeyAddedManyTimesWaitsOnce() throws Exception {
        queue.add("a");
        queue.add("b");
        queue.add("a");

        assertThat(queue.size()).isEqualTo(2);
        assertThat(queue.take()).isEqualTo("a");
        assertThat(queue.take()).isEqualTo("b");
    }

    @Test
    void aKeyAddedWhileHeldIsHandedOutOnlyAfterDone() throws Exception {
        queue.add("a");
        String held = queue.take();
        queue.add("a");

        assertThat(queue.size()).as("not handed to a second worker while the first holds it").isZero();
        queue.done(held);
        assertThat(queue.size()).isEqualTo(1);
        assertThat(queue.take()).isEqualTo("a");
    }

    @Test
    void backoffDoublesUpToTheCeilingAndForgetResetsIt() {
        List<Duration> delays = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            delays.add(queue.addRateLimited("a"));
        }

        assertThat(delays).containsExactly(Duration.ofMillis(10), Duration.ofMillis(20), Duration.ofMillis(40),
                Duration.ofMillis(80), Duration.ofMillis(80));
        assertThat(queue.failures("a")).isEqualTo(5);
        queue.forget("a");
        assertThat(queue.addRateLimited("a")).isEqualTo(Duration.ofMillis(10));
    }

    @Test
    void aDelayedKeyArrives() throws Exception {
        queue.addAfter("late", Duration.ofMillis(30));

        assertThat(queue.size()).isZero();
        assertThat(CompletableFuture.supplyAsync(() -> {
            try {
                return queue.take();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }).get(10, TimeUnit.SECONDS)).isEqualTo("late");
    }

    @Test
    void shutDownWakesAWaitingWorkerWithNull() throws Exception {
        CompletableFuture<String> taken = CompletableFuture.supplyAsync(() -> {
            try {
                return queue.take();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        queue.shutDown();

        assertThat(taken.get(10, TimeUnit.SECONDS)).isNull();
        queue.add("after");
        assertThat(queue.size()).isZero();
    }

    @Test
    void aHugeFailureCountStaysAtTheCeiling() {
        Duration last = null;
        for (int i = 0; i < 100; i++) {
            last = queue.addRateLimited("a");
        }
        assertThat(last).isEqualTo(Duration.ofMillis(80));
    }
}
