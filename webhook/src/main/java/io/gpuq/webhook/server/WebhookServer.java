package io.gpuq.webhook.server;

import io.gpuq.webhook.admission.AdmissionEndpoint;
import io.gpuq.webhook.admission.AdmissionReviewer;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The admission webhook's HTTP side: the HTTPS admission port ({@link AdmissionEndpoint} paths,
 * {@code /healthz}, {@code /readyz}) served by {@link ServerOptions#instances()} event loops, and a plain
 * HTTP port with {@code /metrics} and the same health endpoints for probes and Prometheus.
 *
 * <p>The TLS files are re-read every {@link ServerOptions#certCheckInterval()}; a changed, valid pair is
 * swapped in with {@link HttpServer#updateSSLOptions}, so new handshakes present the new certificate
 * while open connections carry on. Shutdown is graceful: readiness turns false, the port stops
 * accepting, requests in progress finish (up to the shutdown timeout), then connections close.
 */
public final class WebhookServer {

    private static final Logger LOG = Logger.getLogger(WebhookServer.class.getName());

    private final Vertx vertx;
    private final ServerOptions options;
    private final AdmissionMetrics metrics;
    private final AdmissionHandler admission;
    private final HealthHandlers health;
    private final List<HttpServer> servers = new CopyOnWriteArrayList<>();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicBoolean checking = new AtomicBoolean();
    private volatile TlsMaterial tls;
    private volatile byte[][] lastRejectedFiles;
    private volatile String deploymentId;
    private volatile HttpServer metricsServer;
    private volatile long certTimer = -1;
    private volatile Future<Void> shutdown;

    /**
     * @param reviewer answers reviews; called on event loops, so it must not block
     * @param synced   whether the cluster caches have synced (readiness)
     */
    public WebhookServer(Vertx vertx, ServerOptions options, AdmissionReviewer reviewer, BooleanSupplier synced,
                         AdmissionMetrics metrics) {
        this.vertx = vertx;
        this.options = options;
        this.metrics = metrics;
        ReviewJson json = new ReviewJson(options.maxJsonNesting(), options.maxBodyBytes());
        this.admission = new AdmissionHandler(reviewer, json, metrics, new ReviewLog(), options.maxBodyBytes(),
                options.clientCaFile() != null, options.reviewOnWorker());
        this.health = new HealthHandlers(synced, draining::get, json);
    }

    /**
     * Reads the TLS files, opens both ports and starts watching the files. Fails with
     * {@link TlsMaterial.TlsFileException}'s message when the files are missing or unusable.
     */
    public Future<Void> start() {
        return vertx.executeBlocking(() -> TlsMaterial.load(vertx, options.certFile(), options.keyFile(),
                        options.clientCaFile()))
                .compose(material -> {
                    tls = material;
                    return vertx.deployVerticle(() -> new AdmissionVerticle(options, material.sslOptions(), admission,
                                    health, metrics, servers::add),
                            new DeploymentOptions().setInstances(options.instances()));
                })
                .compose(id -> {
                    deploymentId = id;
                    return startMetricsServer();
                })
                .onSuccess(v -> {
                    certTimer = vertx.setPeriodic(options.certCheckInterval().toMillis(), id -> checkCertificates());
                    LOG.info("admission webhook serving https://" + options.host() + ":" + port() + " (TLS 1.2/1.3, "
                            + "HTTP/1.1 and h2, " + options.instances() + " event loop(s), certificate "
                            + tls.describeLeaf() + (tls.verifiesClients() ? ", client certificates required" : "")
                            + "); metrics on http://" + options.metricsHost() + ":" + metricsPort() + "/metrics");
                })
                .recover(err -> {
                    String id = deploymentId;
                    Future<Void> cleanup = id == null ? Future.succeededFuture() : vertx.undeploy(id);
                    return cleanup.eventually(() -> metricsServer == null ? Future.succeededFuture() : metricsServer.close())
                            .transform(ignored -> Future.failedFuture(err));
                });
    }

    /** The admission port actually bound (differs from the option when that was 0). */
    public int port() {
        return servers.isEmpty() ? -1 : servers.get(0).actualPort();
    }

    public int metricsPort() {
        HttpServer m = metricsServer;
        return m == null ? -1 : m.actualPort();
    }

    /** The certificate new handshakes present. */
    public X509Certificate certificate() {
        return tls.leaf();
    }

    /** True once {@link #shutdown()} has begun; {@code /readyz} then answers 503. */
    public boolean draining() {
        return draining.get();
    }

    /**
     * Graceful shutdown; idempotent. Completes once in-flight requests finished (or the shutdown
     * timeout passed) and both ports are closed. The Vert.x instance stays open: it belongs to the caller.
     */
    public synchronized Future<Void> shutdown() {
        if (shutdown != null) {
            return shutdown;
        }
        draining.set(true);
        long timer = certTimer;
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        LOG.info("admission webhook shutting down: not ready any more, no new connections, finishing requests in "
                + "progress (at most " + options.shutdownTimeout().toSeconds() + " s)");
        String id = deploymentId;
        Future<Void> admissionClosed = id == null ? Future.succeededFuture()
                : vertx.undeploy(id).recover(err -> {
                    LOG.log(Level.WARNING, "admission port did not shut down cleanly; closing anyway", err);
                    return Future.succeededFuture();
                });
        shutdown = admissionClosed
                .compose(v -> {
                    HttpServer m = metricsServer;
                    return m == null ? Future.<Void>succeededFuture() : m.close();
                })
                .onComplete(ar -> LOG.info("admission webhook stopped"));
        return shutdown;
    }

    private Future<Void> startMetricsServer() {
        Router router = Router.router(vertx);
        router.get("/metrics").handler(ctx -> vertx.executeBlocking(metrics::scrape, false)
                .onSuccess(bytes -> ctx.response()
                        .putHeader(HttpHeaders.CONTENT_TYPE, metrics.contentType())
                        .end(Buffer.buffer(bytes)))
                .onFailure(ctx::fail));
        router.get("/healthz").handler(health::healthz);
        router.get("/readyz").handler(health::readyz);
        health.installErrorHandlers(router);
        HttpServerOptions http = new HttpServerOptions()
                .setHost(options.metricsHost())
                .setPort(options.metricsPort())
                .setIdleTimeout((int) options.idleTimeout().toMillis())
                .setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
        return vertx.createHttpServer(http).requestHandler(router).listen()
                .onSuccess(s -> metricsServer = s)
                .mapEmpty();
    }

    /** One rotation check: read the files off the event loop, swap them in if they changed and are valid. */
    private void checkCertificates() {
        if (draining.get() || !checking.compareAndSet(false, true)) {
            return;
        }
        vertx.executeBlocking(this::readChangedMaterial, false)
                .compose(material -> material == null ? Future.succeededFuture() : swapIn(material))
                .onComplete(ar -> checking.set(false));
    }

    /** The new material when the files changed and are valid; null when unchanged or unusable (logged). */
    private TlsMaterial readChangedMaterial() {
        byte[][] raw;
        try {
            raw = TlsMaterial.readRaw(options.certFile(), options.keyFile(), options.clientCaFile());
        } catch (TlsMaterial.TlsFileException e) {
            LOG.warning(e.getMessage() + "; keeping the current certificate and checking again in "
                    + options.certCheckInterval().toSeconds() + " s");
            return null;
        }
        // Compared by content: a rotation within the same second can leave the modification time unchanged.
        if (tls.sameFiles(raw) || sameAs(lastRejectedFiles, raw)) {
            return null;
        }
        try {
            return TlsMaterial.validate(vertx, raw, options.certFile(), options.keyFile(), options.clientCaFile());
        } catch (TlsMaterial.TlsFileException e) {
            lastRejectedFiles = raw;
            LOG.warning("TLS files changed but cannot be used: " + e.getMessage()
                    + "; keeping the current certificate until they are fixed");
            return null;
        }
    }

    private Future<Void> swapIn(TlsMaterial material) {
        List<Future<Boolean>> updates = new ArrayList<>();
        for (HttpServer s : servers) {
            updates.add(s.updateSSLOptions(material.sslOptions(), true));
        }
        return Future.all(updates)
                .onSuccess(v -> {
                    tls = material;
                    lastRejectedFiles = null;
                    LOG.info("TLS certificate reloaded from " + options.certFile() + ": " + material.describeLeaf()
                            + "; new connections use it, open ones keep theirs");
                })
                .onFailure(err -> LOG.log(Level.WARNING, "TLS certificate from " + options.certFile()
                        + " was rejected by the server; keeping the previous one and retrying at the next check", err))
                .mapEmpty();
    }

    private static boolean sameAs(byte[][] a, byte[][] b) {
        return a != null && Arrays.deepEquals(a, b);
    }
}
