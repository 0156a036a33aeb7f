package io.gpuq.scheduler.cost;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.gpuq.scheduler.engine.model.GpuNode;
import io.gpuq.scheduler.engine.model.Project;
import io.gpuq.scheduler.metrics.SchedulerMetrics;
import io.gpuq.scheduler.metrics.testing.MutableClock;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static io.gpuq.scheduler.metrics.testing.Allocations.node;
import static io.gpuq.scheduler.metrics.testing.Allocations.project;
import static io.gpuq.scheduler.metrics.testing.Allocations.report;
import static io.gpuq.scheduler.metrics.testing.Allocations.whole;
import static org.assertj.core.api.Assertions.assertThat;

/** The price table from a ConfigMap through the Vert.x store, against the fabric8 mock API server. */
@EnableKubernetesMockClient(crud = true, https = false)
class ConfigMapPriceTableTest {

    static KubernetesClient client;
    static KubernetesMockServer server;

    private static final String SPOT_169 = "prices:\n  - {gpuModel: H100, capacityType: spot, perGpuHour: 1.69}\n";
    private static final String SPOT_200 = "prices:\n  - {gpuModel: H100, capacityType: spot, perGpuHour: 2.00}\n";

    private Vertx vertx;
    private ConfigMapPriceTable source;
    private final List<String> logs = new ArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            synchronized (logs) {
                logs.add(record.getLevel() + " " + record.getMessage());
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void setUp() {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("runai").endMetadata().build())
                .createOr(existing -> existing.update());
        vertx = Vertx.vertx();
        Logger.getLogger(ConfigMapPriceTable.class.getName()).addHandler(capture);
    }

    @AfterEach
    void tearDown() throws Exception {
        Logger.getLogger(ConfigMapPriceTable.class.getName()).removeHandler(capture);
        if (source != null) {
            source.close().await(5, TimeUnit.SECONDS);
        }
        vertx.close().await(5, TimeUnit.SECONDS);
        client.configMaps().inNamespace("runai").withName(ConfigMapPriceTable.DEFAULT_NAME).delete();
    }

    private ConfigMapPriceTable start(Duration scan) throws Exception {
        source = new ConfigMapPriceTable(vertx, new ConfigMapLocation("runai", ConfigMapPriceTable.DEFAULT_NAME,
                server.getHostName(), server.getPort(), false, "test-token"), scan);
        source.start().await(10, TimeUnit.SECONDS);
        return source;
    }

    private void putPrices(Map<String, String> data) {
        client.configMaps().inNamespace("runai").resource(new ConfigMapBuilder()
                .withNewMetadata().withName(ConfigMapPriceTable.DEFAULT_NAME).withNamespace("runai").endMetadata()
                .withData(data).build()).createOr(existing -> existing.update());
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(25);
        }
        assertThat(condition.getAsBoolean()).as("condition reached within 10 s").isTrue();
    }

    private List<String> logLines() {
        synchronized (logs) {
            return List.copyOf(logs);
        }
    }

    private static BigDecimal spot(PriceTable t) {
        return t.priceOf(node("n", "default", "H100", "spot", 8, Map.of())).perGpuHour();
    }

    @Test
    void withoutAConfigMapTheDefaultsApply() throws Exception {
        assertThat(start(Duration.ofMillis(200)).current()).isEqualTo(PriceTable.defaults());
        assertThat(logLines()).anyMatch(l -> l.startsWith("INFO price table from ConfigMap runai/gpuq-prices")
                && l.contains("H100 spot 1.69, H100 on-demand 4.00"));
    }

    @Test
    void aPriceChangeInTheConfigMapAppliesFromTheMomentItIsRead() throws Exception {
        putPrices(Map.of(ConfigMapPriceTable.DATA_KEY, "currency: USD\n" + SPOT_169));
        start(Duration.ofMillis(200));
        MutableClock clock = new MutableClock(Instant.parse("2026-05-01T00:00:00Z"));
        SchedulerMetrics metrics = new SchedulerMetrics(new PrometheusRegistry(), clock, source);
        List<GpuNode> nodes = List.of(node("h100-0", "default", "H100", "spot", 8, Map.of()));
        List<Project> projects = List.of(project("team-training", null, Map.of("default", 8.0)));
        metrics.cycleCompleted(report(clock, nodes, projects,
                List.of(whole("train", "team-training", "h100-0", 0, 1, 2, 3, 4, 5, 6, 7))));
        clock.advance(Duration.ofHours(1));

        putPrices(Map.of(ConfigMapPriceTable.DATA_KEY, SPOT_200));
        await(() -> spot(metrics.prices()).compareTo(new BigDecimal("2.00")) == 0);
        clock.advance(Duration.ofHours(1));

        assertThat(metrics.costs().projectCost("team-training")).as("8 × 1.69 for the first hour, 8 × 2.00 after")
                .isEqualByComparingTo("29.52");
        assertThat(logLines()).anyMatch(l -> l.startsWith("INFO ConfigMap runai/gpuq-prices key prices.yaml: from now on "
                + "pricing with USD per GPU-hour: H100 spot 2.0"));
    }

    @Test
    void aBadTableIsRejectedAndLoggedAndTheLastGoodOneStays() throws Exception {
        putPrices(Map.of(ConfigMapPriceTable.DATA_KEY, SPOT_169));
        start(Duration.ofMillis(200));
        assertThat(spot(source.current())).isEqualByComparingTo("1.69");

        putPrices(Map.of(ConfigMapPriceTable.DATA_KEY, "prices:\n  - {gpuModel: H100, capacityType: spot, perGpuHour: x}\n"));
        await(() -> logLines().stream().anyMatch(l -> l.contains("rejected")));
        assertThat(logLines()).contains("WARNING ConfigMap runai/gpuq-prices key prices.yaml: prices[0].perGpuHour: 'x' "
                + "is not a number; give the price of one GPU-hour, e.g. 1.69");
        assertThat(spot(source.current())).as("the rejected version changes nothing").isEqualByComparingTo("1.69");

        putPrices(Map.of("other.yaml", "x: 1"));
        await(() -> logLines().stream().anyMatch(l -> l.contains("has no key prices.yaml")));
        assertThat(spot(source.current())).isEqualByComparingTo("1.69");

        putPrices(Map.of(ConfigMapPriceTable.DATA_KEY, SPOT_200));
        await(() -> spot(source.current()).compareTo(new BigDecimal("2.00")) == 0);
    }

    @Test
    void deletingTheConfigMapReturnsToTheDefaults() throws Exception {
        putPrices(Map.of(ConfigMapPriceTable.DATA_KEY, SPOT_200));
        start(Duration.ofMillis(200));
        assertThat(spot(source.current())).isEqualByComparingTo("2.00");
        client.configMaps().inNamespace("runai").withName(ConfigMapPriceTable.DEFAULT_NAME).delete();
        await(() -> source.current().equals(PriceTable.defaults()));
    }

    @Test
    void aValueTheStoreReadAsJsonIsReadAsTheSameDocument() {
        source = new ConfigMapPriceTable(vertx, new ConfigMapLocation("runai", "p", "127.0.0.1", 1, false, null),
                Duration.ofSeconds(30));
        JsonObject json = new JsonObject().put("currency", "EUR").put("prices", new JsonArray().add(
                new JsonObject().put("gpuModel", "H100").put("capacityType", "spot").put("perGpuHour", 1.5)));
        assertThat(source.apply(new JsonObject().put(ConfigMapPriceTable.DATA_KEY, json))).isTrue();
        assertThat(source.current().currency()).isEqualTo("EUR");
        assertThat(spot(source.current())).isEqualByComparingTo("1.5");
        assertThat(source.apply(new JsonObject().put(ConfigMapPriceTable.DATA_KEY, 42))).isFalse();
        assertThat(source.current().currency()).isEqualTo("EUR");
    }
}
