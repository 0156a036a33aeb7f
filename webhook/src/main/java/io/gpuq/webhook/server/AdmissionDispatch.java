package io.gpuq.webhook.server;

import io.gpuq.webhook.admission.AdmissionEndpoint;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;

import java.util.HashMap;
import java.util.Map;

/**
 * The admission port's request handler. A POST to an admission path as the API server writes it (the
 * exact path, any query) goes straight to the {@link AdmissionHandler}; everything else (health checks,
 * unusual spellings of a path, wrong methods, unknown paths) goes through the router, which serves the
 * admission routes too, so every request gets the router's answer where it has one. A review is the
 * whole traffic of this port, and the router's per-request context is a noticeable share of its cost.
 */
final class AdmissionDispatch implements Handler<HttpServerRequest> {

    private final AdmissionHandler admission;
    private final ConnectionGuard guard;
    private final Router router;
    private final Map<String, AdmissionEndpoint> byPath = new HashMap<>();

    AdmissionDispatch(AdmissionHandler admission, ConnectionGuard guard, Router router) {
        this.admission = admission;
        this.guard = guard;
        this.router = router;
        for (AdmissionEndpoint e : AdmissionEndpoint.values()) {
            byPath.put(e.path(), e);
        }
    }

    @Override
    public void handle(HttpServerRequest request) {
        AdmissionEndpoint endpoint = request.method() == HttpMethod.POST ? byPath.get(request.path()) : null;
        if (endpoint == null) {
            router.handle(request);
            return;
        }
        guard.track(request);
        admission.handle(request, endpoint);
    }
}
