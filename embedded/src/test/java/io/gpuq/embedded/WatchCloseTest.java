package io.gpuq.embedded;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Watchers that hang up while events stream to them (an informer stopping, a scheduler handing over
 * its lease) must not stall the API for anyone else.
 */
class WatchCloseTest {
    private EmbeddedApiServer api;
    private KubernetesClient writer;
    private KubernetesClient watcher;

    @BeforeEach
    void start() {
        api = new EmbeddedApiServer().start(0);
        writer = api.newClient();
        watcher = api.newClient();
    }

    @AfterEach
    void stop() {
        watcher.close();
        writer.close();
        api.close();
    }

    @Test
    void closingWatchesDuringAStreamOfEventsNeverStallsTheApi() throws Exception {
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicLong slowestWriteNanos = new AtomicLong();
        AtomicInteger written = new AtomicInteger();
        AtomicReference<RuntimeException> writeError = new AtomicReference<>();
        Thread load = new Thread(() -> {
            while (writing.get()) {
                int n = written.incrementAndGet();
                long start = System.nanoTime();
                try {
                    writer.configMaps().inNamespace("default").resource(configMap("cm-" + n)).create();
                } catch (RuntimeException e) {
                    writeError.compareAndSet(null, e);
                    return;
                } finally {
                    slowestWriteNanos.accumulateAndGet(System.nanoTime() - start, Math::max);
                }
            }
        }, "config-map-writer");
        load.start();
        try {
            for (int round = 0; round < 40; round++) {
                long roundStart = System.nanoTime();
                CountDownLatch firstEvent = new CountDownLatch(1);
                Watch watch = watcher.configMaps().inNamespace("default").watch(new Watcher<>() {
                    @Override
                    public void eventReceived(Action action, ConfigMap resource) {
                        firstEvent.countDown();
                    }

                    @Override
                    public void onClose(WatcherException cause) {
                    }
                });
                assertThat(firstEvent.await(5, TimeUnit.SECONDS))
                        .as("watch %d sees an event within 5 s", round).isTrue();
                watch.close();
                assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - roundStart))
                        .as("opening, reading and closing watch %d, in ms", round).isLessThan(5_000);
            }
        } finally {
            writing.set(false);
            load.join(TimeUnit.SECONDS.toMillis(60));
        }
        assertThat(writeError.get()).as("a write failed").isNull();
        assertThat(written.get()).isGreaterThan(40);
        assertThat(TimeUnit.NANOSECONDS.toMillis(slowestWriteNanos.get()))
                .as("the slowest write while watches closed, in ms").isLessThan(5_000);
    }

    private static ConfigMap configMap(String name) {
        return new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace("default").endMetadata()
                .addToData("k", "v").build();
    }
}
