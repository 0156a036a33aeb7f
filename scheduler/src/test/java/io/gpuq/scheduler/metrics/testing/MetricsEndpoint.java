package io.gpuq.scheduler.metrics.testing;

import io.gpuq.scheduler.chargeback.ChargebackService;
import io.gpuq.scheduler.http.SchedulerHttpServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vertx.core.Vertx;

import java.net.URI;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** A {@link SchedulerHttpServer} on an ephemeral port with its own Vert.x, for tests that talk HTTP. */
public final class MetricsEndpoint implements AutoCloseable {
    private final Vertx vertx = Vertx.vertx();
    private final SchedulerHttpServer server;
    private final int port;

    public MetricsEndpoint(PrometheusRegistry registry) {
        this(registry, () -> true, null);
    }

    public MetricsEndpoint(PrometheusRegistry registry, BooleanSupplier ready, ChargebackService chargeback) {
        server = new SchedulerHttpServer(vertx, "127.0.0.1", 0, registry, ready, chargeback);
        try {
            port = server.start().await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            vertx.close();
            throw new IllegalStateException("metrics endpoint did not start", e);
        }
    }

    public URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port + pathAndQuery);
    }

    public Scrape scrape() {
        return Scrape.get(uri("/metrics"));
    }

    public SchedulerHttpServer server() {
        return server;
    }

    @Override
    public void close() throws Exception {
        server.stop().await(10, TimeUnit.SECONDS);
        vertx.close().await(10, TimeUnit.SECONDS);
    }
}
