package io.gpuq.scheduler.http;

import io.gpuq.scheduler.chargeback.ChargebackException;
import io.gpuq.scheduler.chargeback.ChargebackFormat;
import io.gpuq.scheduler.chargeback.ChargebackRequest;
import io.gpuq.scheduler.chargeback.ChargebackService;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.List;
import java.util.Set;
import java.util.logging.Logger;

/**
 * {@code GET /api/v1/chargeback?from=…&to=…&groupBy=project|department|nodepool&format=json|csv}. Prometheus
 * is asked asynchronously; the event loop only parses and renders. Errors are JSON
 * {@code {"status": code, "error": message}}: 400 for a bad request, 502 when Prometheus is unreachable or
 * fails, 504 when it is too slow, 503 when no Prometheus is configured.
 */
final class ChargebackHandler implements Handler<RoutingContext> {

    private static final Logger LOG = Logger.getLogger(ChargebackHandler.class.getName());
    static final Set<String> PARAMETERS = Set.of("from", "to", "groupBy", "format");

    private final ChargebackService service;

    /** @param service null when no Prometheus is configured */
    ChargebackHandler(ChargebackService service) {
        this.service = service;
    }

    @Override
    public void handle(RoutingContext ctx) {
        if (service == null) {
            fail(ctx, new ChargebackException(ChargebackException.Status.UNAVAILABLE,
                    "chargeback is not configured: the scheduler was started without a Prometheus URL"));
            return;
        }
        ChargebackRequest request;
        ChargebackFormat format;
        try {
            for (String name : ctx.queryParams().names()) {
                if (!PARAMETERS.contains(name)) {
                    throw new ChargebackException(ChargebackException.Status.BAD_REQUEST, "unknown parameter '" + name
                            + "'; allowed: from, to, groupBy (project|department|nodepool), format (json|csv)");
                }
            }
            String f = ctx.queryParams().get("format");
            format = ChargebackFormat.parse(f == null ? "json" : f, List.of(ChargebackFormat.JSON, ChargebackFormat.CSV));
            request = service.request(ctx.queryParams().get("from"), ctx.queryParams().get("to"),
                    ctx.queryParams().get("groupBy"));
        } catch (ChargebackException e) {
            fail(ctx, e);
            return;
        }
        Future.fromCompletionStage(service.report(request), ctx.vertx().getOrCreateContext())
                .onSuccess(report -> {
                    ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, format.contentType());
                    if (format == ChargebackFormat.CSV) {
                        ctx.response().putHeader("Content-Disposition", "attachment; filename=\"chargeback-"
                                + request.groupBy().label() + ".csv\"");
                    }
                    ctx.response().end(format.render(report));
                })
                .onFailure(err -> {
                    ChargebackException e = ChargebackException.from(err);
                    LOG.warning("chargeback from " + request.from() + " to " + request.to() + " by "
                            + request.groupBy().label() + " answered " + e.status().httpStatus() + ": " + e.getMessage());
                    fail(ctx, e);
                });
    }

    private static void fail(RoutingContext ctx, ChargebackException e) {
        if (ctx.response().ended()) {
            return;
        }
        int status = e.status().httpStatus();
        ctx.response().setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(new JsonObject().put("status", status).put("error", e.getMessage()).encode() + "\n");
    }
}
