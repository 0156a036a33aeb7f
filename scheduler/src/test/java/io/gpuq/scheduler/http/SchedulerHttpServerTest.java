package io.gpuq.scheduler.http;

import io.gpuq.scheduler.cost.PriceTable;
import io.gpuq.scheduler.cost.PriceTableSource;
import io.gpuq.scheduler.metrics.SchedulerMetrics;
import io.gpuq.scheduler.metrics.testing.MetricsEndpoint;
import io.gpuq.scheduler.metrics.testing.MutableClock;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The scheduler's plain-HTTP port: probes, metrics, unknown paths, start and stop. */
class SchedulerHttpServerTest {

    private static HttpResponse<String> send(URI uri, String method) throws Exception {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(HttpRequest.newBuilder(uri)
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void probesFollowReadinessAndUnknownPathsSayWhatExists() throws Exception {
        AtomicBoolean ready = new AtomicBoolean(false);
        PrometheusRegistry registry = new PrometheusRegistry();
        new SchedulerMetrics(registry, new MutableClock(Instant.EPOCH), PriceTableSource.fixed(PriceTable.defaults()));
        try (MetricsEndpoint endpoint = new MetricsEndpoint(registry, ready::get, null)) {
            assertThat(send(endpoint.uri("/healthz"), "GET").statusCode()).isEqualTo(200);
            HttpResponse<String> notReady = send(endpoint.uri("/readyz"), "GET");
            assertThat(notReady.statusCode()).isEqualTo(503);
            assertThat(notReady.body()).isEqualTo("not ready\n");
            ready.set(true);
            assertThat(send(endpoint.uri("/readyz"), "GET").statusCode()).isEqualTo(200);

            HttpResponse<String> metrics = send(endpoint.uri("/metrics"), "GET");
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.headers().firstValue("content-type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
            assertThat(metrics.body()).contains("# TYPE runai_scheduler_binds_total counter");

            HttpResponse<String> missing = send(endpoint.uri("/metricz"), "GET");
            assertThat(missing.statusCode()).isEqualTo(404);
            assertThat(missing.body()).isEqualTo("no endpoint at /metricz; endpoints: /metrics, /healthz, /readyz, "
                    + "/api/v1/chargeback\n");
            HttpResponse<String> post = send(endpoint.uri("/metrics"), "POST");
            assertThat(post.statusCode()).isEqualTo(405);
            assertThat(post.body()).isEqualTo("POST is not allowed on /metrics; use GET\n");

            URI readyz = endpoint.uri("/readyz");
            endpoint.server().stop().await(10, TimeUnit.SECONDS);
            assertThatThrownBy(() -> send(readyz, "GET")).isInstanceOf(ConnectException.class);
            endpoint.server().stop().await(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aTakenPortFailsTheStartSayingSo() throws Exception {
        Vertx vertx = Vertx.vertx();
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            SchedulerHttpServer server = new SchedulerHttpServer(vertx, "127.0.0.1", taken.getLocalPort(),
                    new PrometheusRegistry(), () -> true);
            assertThatThrownBy(() -> server.start().await(10, TimeUnit.SECONDS))
                    .hasMessageStartingWith("cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": ");
            assertThat(server.port()).isEqualTo(-1);
        } finally {
            vertx.close().await(10, TimeUnit.SECONDS);
        }
        assertThatThrownBy(() -> new SchedulerHttpServer(vertx, "0.0.0.0", 70000, new PrometheusRegistry(), () -> true))
                .hasMessage("port must be between 0 and 65535, was 70000");
    }
}
