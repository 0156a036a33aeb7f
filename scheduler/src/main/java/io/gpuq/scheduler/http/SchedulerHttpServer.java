package io.gpuq.scheduler.http;

import io.gpuq.scheduler.chargeback.ChargebackService;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The scheduler's plain-HTTP port: {@code /metrics} (the registry in the Prometheus text format),
 * {@code /healthz}, {@code /readyz} (200 only while {@code ready} says so) and
 * {@code GET /api/v1/chargeback}. Scrapes run on a worker thread (collectors read JVM MXBeans and accrue
 * cost); nothing on the event loop blocks.
 */
public final class SchedulerHttpServer {

    private static final Logger LOG = Logger.getLogger(SchedulerHttpServer.class.getName());
    static final String ENDPOINTS = "/metrics, /healthz, /readyz, /api/v1/chargeback";

    private final Vertx vertx;
    private final String host;
    private final int port;
    private final PrometheusRegistry registry;
    private final BooleanSupplier ready;
    private final ChargebackHandler chargeback;
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private volatile HttpServer server;
    private volatile boolean stopping;

    /** A server whose chargeback endpoint answers 503: no Prometheus is configured. */
    public SchedulerHttpServer(Vertx vertx, String host, int port, PrometheusRegistry registry, BooleanSupplier ready) {
        this(vertx, host, port, registry, ready, null);
    }

    /**
     * @param host       the address to listen on, e.g. {@code 0.0.0.0}
     * @param port       the port; 0 picks a free one ({@link #start()} says which)
     * @param chargeback answers {@code /api/v1/chargeback}; null when no Prometheus is configured
     */
    public SchedulerHttpServer(Vertx vertx, String host, int port, PrometheusRegistry registry, BooleanSupplier ready,
                               ChargebackService chargeback) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.host = Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be between 0 and 65535, was " + port);
        }
        this.port = port;
        this.registry = Objects.requireNonNull(registry, "registry");
        this.ready = Objects.requireNonNull(ready, "ready");
        this.chargeback = new ChargebackHandler(chargeback);
    }

    /** Opens the port; completes with the port bound, or fails saying why (e.g. the port is taken). */
    public Future<Integer> start() {
        Router router = Router.router(vertx);
        router.get("/metrics").handler(this::metrics);
        router.get("/healthz").handler(ctx -> text(ctx, 200, "ok\n"));
        router.get("/readyz").handler(this::readyz);
        router.get("/api/v1/chargeback").handler(chargeback);
        router.errorHandler(404, ctx -> text(ctx, 404, "no endpoint at " + ctx.request().path() + "; endpoints: "
                + ENDPOINTS + "\n"));
        router.errorHandler(405, ctx -> text(ctx, 405, ctx.request().method() + " is not allowed on "
                + ctx.request().path() + "; use GET\n"));
        router.errorHandler(500, ctx -> {
            LOG.log(Level.SEVERE, "unexpected failure serving " + ctx.request().path() + "; still serving",
                    ctx.failure());
            text(ctx, 500, "internal error serving " + ctx.request().path() + "\n");
        });
        return vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port))
                .requestHandler(router)
                .listen()
                .map(s -> {
                    server = s;
                    LOG.info("scheduler HTTP serving http://" + host + ":" + s.actualPort() + " (" + ENDPOINTS + ")");
                    return s.actualPort();
                })
                .recover(err -> Future.failedFuture(new IllegalStateException("cannot listen on " + host + ":" + port
                        + ": " + err.getMessage(), err)));
    }

    /** The port bound, or -1 before {@link #start()} completed. */
    public int port() {
        HttpServer s = server;
        return s == null ? -1 : s.actualPort();
    }

    /** Stops answering ({@code /readyz} turns 503 at once) and closes the port; idempotent. */
    public Future<Void> stop() {
        stopping = true;
        HttpServer s = server;
        server = null;
        if (s == null) {
            return Future.succeededFuture();
        }
        return s.close().onComplete(ar -> LOG.info("scheduler HTTP port closed"));
    }

    private void metrics(RoutingContext ctx) {
        vertx.executeBlocking(this::scrape, false)
                .onSuccess(bytes -> ctx.response()
                        .putHeader(HttpHeaders.CONTENT_TYPE, writer.getContentType())
                        .end(Buffer.buffer(bytes)))
                .onFailure(ctx::fail);
    }

    private byte[] scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
        try {
            writer.write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private void readyz(RoutingContext ctx) {
        if (stopping) {
            text(ctx, 503, "shutting down\n");
        } else if (!ready.getAsBoolean()) {
            text(ctx, 503, "not ready\n");
        } else {
            text(ctx, 200, "ok\n");
        }
    }

    private static void text(RoutingContext ctx, int status, String body) {
        if (ctx.response().ended() || ctx.response().headWritten()) {
            return;
        }
        ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8").end(body);
    }
}
