package io.gpuq.webhook.server;

import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

/**
 * Closes connections that hold the server without completing requests. An idle timeout on reads and
 * writes only sees silence, and a client that sends one byte a second is never silent. So each
 * connection's requests are tracked, and a periodic sweep (the admission port's only idle timeout)
 * <ul>
 *   <li>answers 408 to a request whose body has not fully arrived within the request timeout and closes
 *       its connection (or resets its stream on HTTP/2, where other streams may be healthy), and</li>
 *   <li>closes a connection that has had no request in progress for the idle timeout, which also ends
 *       a client trickling the bytes of a request line or headers that never complete.</li>
 * </ul>
 * One guard per event loop: every method runs on that loop, so the maps need no locking.
 */
final class ConnectionGuard {

    private static final Logger LOG = Logger.getLogger(ConnectionGuard.class.getName());

    private static final class State {
        final List<Tracked> inFlight = new ArrayList<>(1);
        long lastActivityNanos;

        State(long now) {
            lastActivityNanos = now;
        }
    }

    private record Tracked(HttpServerRequest request, long startedNanos) {
    }

    private final Map<HttpConnection, State> connections = new HashMap<>();
    private final long idleNanos;
    private final long requestNanos;
    private final LongSupplier clock;
    private final RejectionListener rejections;
    private final AtomicInteger open;

    /** Told about each request the guard answers itself, for metrics. */
    interface RejectionListener {
        void timedOut(HttpServerRequest request);
    }

    /** @param open counts open connections across every guard of the server, for the metrics */
    ConnectionGuard(long idleNanos, long requestNanos, LongSupplier clock, RejectionListener rejections,
                    AtomicInteger open) {
        this.open = open;
        this.idleNanos = idleNanos;
        this.requestNanos = requestNanos;
        this.clock = clock;
        this.rejections = rejections;
    }

    void opened(HttpConnection connection) {
        connections.put(connection, new State(clock.getAsLong()));
        open.incrementAndGet();
        connection.closeHandler(v -> {
            if (connections.remove(connection) != null) {
                open.decrementAndGet();
            }
        });
    }

    /** First route of every routed request: track it until its response ends or its connection dies. */
    void track(RoutingContext ctx) {
        Runnable finished = begin(ctx.request());
        if (finished != null) {
            ctx.addEndHandler(ar -> finished.run());
        }
        ctx.next();
    }

    /**
     * Tracks a request that bypasses the router until its response ends or is closed; the caller owns
     * the response's end and close handlers.
     */
    void track(HttpServerRequest request) {
        Runnable finished = begin(request);
        if (finished != null) {
            HttpServerResponse response = request.response();
            response.endHandler(v -> finished.run());
            response.closeHandler(v -> finished.run());
        }
    }

    /** Starts tracking; returns what ends it, or null for a connection the guard does not know. */
    private Runnable begin(HttpServerRequest request) {
        State state = connections.get(request.connection());
        if (state == null) {
            return null;
        }
        Tracked tracked = new Tracked(request, clock.getAsLong());
        state.inFlight.add(tracked);
        return () -> {
            state.inFlight.remove(tracked);
            state.lastActivityNanos = clock.getAsLong();
        };
    }

    /** Called periodically on the guard's event loop. */
    void sweep() {
        long now = clock.getAsLong();
        Iterator<Map.Entry<HttpConnection, State>> it = connections.entrySet().iterator();
        List<HttpConnection> idle = new ArrayList<>();
        List<Tracked> slow = new ArrayList<>();
        while (it.hasNext()) {
            Map.Entry<HttpConnection, State> e = it.next();
            State s = e.getValue();
            if (s.inFlight.isEmpty()) {
                if (now - s.lastActivityNanos > idleNanos) {
                    idle.add(e.getKey());
                }
                continue;
            }
            for (Tracked t : s.inFlight) {
                if (!t.request().isEnded() && now - t.startedNanos() > requestNanos) {
                    slow.add(t);
                }
            }
        }
        // Closing runs close handlers that edit the map, so act after the iteration.
        for (HttpConnection c : idle) {
            LOG.fine(() -> "closing connection from " + c.remoteAddress() + ": no complete request for "
                    + idleNanos / 1_000_000 + " ms");
            c.close();
        }
        for (Tracked t : slow) {
            timeOut(t.request());
        }
    }

    private void timeOut(HttpServerRequest request) {
        HttpServerResponse response = request.response();
        LOG.info(() -> "request " + request.method() + " " + request.path() + " from " + request.remoteAddress()
                + " did not finish sending its body within " + requestNanos / 1_000_000 + " ms; answering 408 and "
                + (request.version() == HttpVersion.HTTP_2 ? "resetting the stream" : "closing the connection"));
        rejections.timedOut(request);
        if (!response.ended() && !response.headWritten()) {
            response.setStatusCode(408)
                    .putHeader("content-type", "application/json")
                    .putHeader("connection", "close");
            response.end("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"Timeout\","
                    + "\"code\":408,\"message\":\"the request body did not arrive within the request timeout\"}");
        }
        if (request.version() == HttpVersion.HTTP_2) {
            response.reset();
        } else {
            request.connection().close();
        }
    }
}
