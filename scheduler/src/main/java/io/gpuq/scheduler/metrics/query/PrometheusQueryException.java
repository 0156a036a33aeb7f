package io.gpuq.scheduler.metrics.query;

/** A query to the Prometheus HTTP API gave no usable answer; {@link #kind()} says why. */
public final class PrometheusQueryException extends RuntimeException {

    public enum Kind {
        /** No connection could be made (refused, unknown host, reset). */
        UNREACHABLE,
        /** No complete answer within the configured timeout. */
        TIMEOUT,
        /** Prometheus answered with an error (bad query, overloaded, HTTP 4xx/5xx). */
        ERROR_RESPONSE,
        /** The answer was not a Prometheus API document (not JSON, wrong shape). */
        MALFORMED
    }

    private final Kind kind;

    public PrometheusQueryException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public PrometheusQueryException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
