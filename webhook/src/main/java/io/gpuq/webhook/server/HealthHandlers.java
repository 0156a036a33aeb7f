package io.gpuq.webhook.server;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code /healthz}, {@code /readyz} and the router's error answers, shared by the admission and metrics
 * ports. Ready means the cluster caches have synced and the server is not draining for shutdown.
 */
final class HealthHandlers {

    private static final Logger LOG = Logger.getLogger(HealthHandlers.class.getName());

    private final BooleanSupplier synced;
    private final BooleanSupplier draining;
    private final ReviewJson json;

    HealthHandlers(BooleanSupplier synced, BooleanSupplier draining, ReviewJson json) {
        this.synced = synced;
        this.draining = draining;
        this.json = json;
    }

    void healthz(RoutingContext ctx) {
        ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "text/plain").end("ok\n");
    }

    void readyz(RoutingContext ctx) {
        HttpServerResponse response = ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "text/plain");
        if (draining.getAsBoolean()) {
            response.setStatusCode(503).end("shutting down\n");
        } else if (!synced.getAsBoolean()) {
            response.setStatusCode(503).end("cluster caches not synced yet\n");
        } else {
            response.end("ok\n");
        }
    }

    /**
     * 404 and 405 as Kubernetes Status documents; an exception escaping a handler (a bug) becomes 400,
     * logged with its stack, rather than a 500 that the API server would treat as the webhook being down.
     */
    void installErrorHandlers(Router router) {
        router.errorHandler(404, ctx -> error(ctx, 404, "NotFound", "no endpoint at " + ctx.request().path()));
        router.errorHandler(405, ctx -> error(ctx, 405, "MethodNotAllowed",
                ctx.request().method() + " is not allowed on " + ctx.request().path()));
        router.errorHandler(500, ctx -> {
            LOG.log(Level.SEVERE, "unexpected failure serving " + ctx.request().method() + " " + ctx.request().path()
                    + "; answered 400 and still serving", ctx.failure());
            error(ctx, 400, "BadRequest", "the request could not be processed");
        });
    }

    private void error(RoutingContext ctx, int status, String reason, String message) {
        HttpServerResponse response = ctx.response();
        if (response.ended() || response.headWritten()) {
            return;
        }
        response.setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(Buffer.buffer(json.status(status, reason, message)));
    }
}
