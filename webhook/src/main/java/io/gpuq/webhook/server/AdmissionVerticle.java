package io.gpuq.webhook.server;

import io.gpuq.webhook.admission.AdmissionEndpoint;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.ServerSSLOptions;
import io.vertx.ext.web.Router;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One event loop's share of the admission port: an HTTPS server (HTTP/1.1 and HTTP/2 by ALPN) with its
 * router and connection guard. Several instances listen on the same port and Vert.x spreads
 * connections across them.
 */
final class AdmissionVerticle extends VerticleBase {

    /** How often the guard looks for slow requests and idle connections. */
    static final long SWEEP_MILLIS = 250;

    private static final int SHARED_RANDOM_PORT = -1;

    private final ServerOptions options;
    private final ServerSSLOptions ssl;
    private final AdmissionHandler admission;
    private final HealthHandlers health;
    private final AdmissionMetrics metrics;
    private final Consumer<HttpServer> onListening;
    private HttpServer server;
    private long sweepTimer = -1;

    AdmissionVerticle(ServerOptions options, ServerSSLOptions ssl, AdmissionHandler admission, HealthHandlers health,
                      AdmissionMetrics metrics, Consumer<HttpServer> onListening) {
        this.options = options;
        this.ssl = ssl;
        this.admission = admission;
        this.health = health;
        this.metrics = metrics;
        this.onListening = onListening;
    }

    @Override
    public Future<?> start() {
        HttpServerOptions http = new HttpServerOptions()
                .setHost(options.host())
                // Listeners on one port share it and Vert.x spreads connections over their event loops. With
                // port 0 each instance would bind a random port of its own and only the first would get
                // traffic; a negative port is Vert.x's random port shared by every listener asking for it.
                .setPort(options.port() == 0 ? SHARED_RANDOM_PORT : options.port())
                .setSsl(true)
                .setKeyCertOptions(ssl.getKeyCertOptions())
                .setEnabledSecureTransportProtocols(ssl.getEnabledSecureTransportProtocols())
                .setUseAlpn(true)
                .setAlpnVersions(List.of(HttpVersion.HTTP_2, HttpVersion.HTTP_1_1))
                .setSslHandshakeTimeout(options.handshakeTimeout().toMillis())
                .setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS)
                // No Vert.x idle timeout: the connection guard closes idle connections itself, and Netty's
                // idle handler would put a listener on every write of every response.
                .setTcpNoDelay(true)
                .setCompressionSupported(false)
                .setDecompressionSupported(false);
        if (ssl.getTrustOptions() != null) {
            http.setTrustOptions(ssl.getTrustOptions()).setClientAuth(ssl.getClientAuth());
        }
        ConnectionGuard guard = new ConnectionGuard(options.idleTimeout().toNanos(), options.requestTimeout().toNanos(),
                System::nanoTime, request -> {
                    for (AdmissionEndpoint e : AdmissionEndpoint.values()) {
                        if (e.path().equals(request.path())) {
                            metrics.recordRejected(e, 408);
                        }
                    }
                }, metrics.openConnectionCounter());
        Router router = Router.router(vertx);
        router.route().handler(guard::track);
        for (AdmissionEndpoint e : AdmissionEndpoint.values()) {
            router.route(HttpMethod.POST, e.path()).handler(ctx -> admission.handle(ctx.request(), e));
        }
        router.get("/healthz").handler(health::healthz);
        router.get("/readyz").handler(health::readyz);
        health.installErrorHandlers(router);
        server = vertx.createHttpServer(http)
                .connectionHandler(guard::opened)
                .requestHandler(new AdmissionDispatch(admission, guard, router));
        sweepTimer = vertx.setPeriodic(SWEEP_MILLIS, id -> guard.sweep());
        return server.listen().onSuccess(onListening::accept);
    }

    /** Stops accepting, lets requests in progress finish within the shutdown timeout, then closes. */
    @Override
    public Future<?> stop() {
        if (sweepTimer >= 0) {
            vertx.cancelTimer(sweepTimer);
        }
        if (server == null) {
            return Future.succeededFuture();
        }
        return server.shutdown(options.shutdownTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }
}
