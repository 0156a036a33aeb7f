package io.gpuq.webhook.config;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.gpuq.api.WorkloadType;
import io.gpuq.webhook.WebhookSettings;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;

/** The Vert.x ConfigMap store against the fabric8 mock API server: initial read, hot reload, rejection. */
@EnableKubernetesMockClient(crud = true, https = false)
class WebhookConfigTest {

    static KubernetesClient client;
    static KubernetesMockServer server;

    private Vertx vertx;
    private WebhookConfig config;
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
        Logger.getLogger(WebhookConfig.class.getName()).addHandler(capture);
    }

    @AfterEach
    void tearDown() throws Exception {
        Logger.getLogger(WebhookConfig.class.getName()).removeHandler(capture);
        if (config != null) {
            config.close().await(5, TimeUnit.SECONDS);
        }
        vertx.close().await(5, TimeUnit.SECONDS);
        client.configMaps().inNamespace("runai").withName("gpuq-webhook").delete();
    }

    private WebhookConfig.Source source() {
        return new WebhookConfig.Source("runai", "gpuq-webhook", server.getHostName(), server.getPort(), false, "test-token");
    }

    private void putConfigMap(Map<String, String> data) {
        client.configMaps().inNamespace("runai").resource(new ConfigMapBuilder()
                .withNewMetadata().withName("gpuq-webhook").withNamespace("runai").endMetadata()
                .withData(data).build()).createOr(existing -> existing.update());
    }

    private static void await(BooleanSupplier condition, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(25);
        }
    }

    private List<String> logLines() {
        synchronized (logs) {
            return List.copyOf(logs);
        }
    }

    @Test
    void withoutAConfigMapTheDefaultsApply() throws Exception {
        config = new WebhookConfig(vertx, source(), Duration.ofMillis(200), "runai");
        assertThat(config.loaded()).isFalse();
        assertThat(config.get()).as("defaults before the first read").isEqualTo(WebhookSettings.defaults());
        WebhookSettings s = config.start().await(10, TimeUnit.SECONDS);
        assertThat(s).isEqualTo(WebhookSettings.defaults());
        assertThat(config.loaded()).isTrue();
    }

    @Test
    void theConfigMapIsReadAtStartAndChangesAreReloaded() throws Exception {
        putConfigMap(Map.of("enforceScheduler", "false", "mpsPools", "mps-pool"));
        config = new WebhookConfig(vertx, source(), Duration.ofMillis(200), "runai");
        WebhookSettings first = config.start().await(10, TimeUnit.SECONDS);
        assertThat(first.enforceScheduler()).isFalse();
        assertThat(first.mpsPools()).containsExactly("mps-pool");

        putConfigMap(Map.of("enforceScheduler", "true", "defaultWorkloadType", "build", "schedulerName", "gpu-sched"));
        await(() -> config.get().defaultWorkloadType() == WorkloadType.BUILD, Duration.ofSeconds(10));
        WebhookSettings reloaded = config.get();
        assertThat(reloaded.defaultWorkloadType()).isEqualTo(WorkloadType.BUILD);
        assertThat(reloaded.enforceScheduler()).isTrue();
        assertThat(reloaded.schedulerName()).isEqualTo("gpu-sched");
        assertThat(reloaded.mpsPools()).as("a key removed from the ConfigMap falls back to its default").isEmpty();
        assertThat(logLines()).anyMatch(l -> l.startsWith("INFO ConfigMap runai/gpuq-webhook applied")
                && l.contains("defaultWorkloadType=build"));
    }

    @Test
    void aBadValueIsRejectedAndLoggedAndTheLastGoodSettingsStay() throws Exception {
        putConfigMap(Map.of("schedulerName", "gpu-sched"));
        config = new WebhookConfig(vertx, source(), Duration.ofMillis(200), "runai");
        config.start().await(10, TimeUnit.SECONDS);
        assertThat(config.get().schedulerName()).isEqualTo("gpu-sched");

        putConfigMap(Map.of("schedulerName", "other-sched", "defaultWorkloadType", "batch"));
        await(() -> logLines().stream().anyMatch(l -> l.contains("rejected")), Duration.ofSeconds(10));
        assertThat(logLines()).contains("WARNING ConfigMap runai/gpuq-webhook: key 'defaultWorkloadType' has value "
                + "'batch'; allowed: one of inference, interactive, interactive-preemptible, train, build");
        assertThat(config.get().schedulerName()).as("nothing of the rejected version applies").isEqualTo("gpu-sched");

        putConfigMap(Map.of("schedulerName", "other-sched", "defaultWorkloadType", "inference"));
        await(() -> config.get().schedulerName().equals("other-sched"), Duration.ofSeconds(10));
        assertThat(config.get().defaultWorkloadType()).isEqualTo(WorkloadType.INFERENCE);
    }

    @Test
    void anUnreachableApiServerLeavesTheDefaultsAndSaysSo() throws Exception {
        config = new WebhookConfig(vertx, new WebhookConfig.Source("runai", "gpuq-webhook", "127.0.0.1", 1, false, "t"),
                Duration.ofSeconds(30), "runai");
        WebhookSettings s = config.start().await(10, TimeUnit.SECONDS);
        assertThat(s).isEqualTo(WebhookSettings.defaults());
        assertThat(config.loaded()).as("a failed first read still counts as done").isTrue();
        assertThat(logLines()).anyMatch(l -> l.startsWith("WARNING cannot read ConfigMap runai/gpuq-webhook")
                && l.contains("serving with default settings"));
    }

    @Test
    void theSourceFollowsTheClientConfiguration() {
        io.fabric8.kubernetes.client.Config k8s = new io.fabric8.kubernetes.client.ConfigBuilder()
                .withMasterUrl("https://api.example.test:6443").withOauthToken("abc").build();
        WebhookConfig.Source s = WebhookConfig.sourceFor(k8s, "runai", "gpuq-webhook");
        assertThat(s.host()).isEqualTo("api.example.test");
        assertThat(s.port()).isEqualTo(6443);
        assertThat(s.ssl()).isTrue();
        assertThat(s.token()).isEqualTo("abc");
        assertThat(s.ref()).isEqualTo("runai/gpuq-webhook");
    }
}
