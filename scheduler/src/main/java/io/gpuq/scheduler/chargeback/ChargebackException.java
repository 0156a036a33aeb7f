package io.gpuq.scheduler.chargeback;

/** A chargeback that cannot be answered: a bad request, or Prometheus failing. The message says which and why. */
public final class ChargebackException extends RuntimeException {

    public enum Status {
        /** The request is wrong (range, grouping, format); the message says what is allowed. */
        BAD_REQUEST(400),
        /** Prometheus is unreachable or answered with an error. */
        BAD_GATEWAY(502),
        /** No chargeback source is configured. */
        UNAVAILABLE(503),
        /** Prometheus did not answer in time. */
        GATEWAY_TIMEOUT(504);

        private final int httpStatus;

        Status(int httpStatus) {
            this.httpStatus = httpStatus;
        }

        public int httpStatus() {
            return httpStatus;
        }
    }

    private final Status status;

    public ChargebackException(Status status, String message) {
        super(message);
        this.status = status;
    }

    public ChargebackException(Status status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    public Status status() {
        return status;
    }

    /**
     * The chargeback failure behind {@code error}, seen through the wrappers futures add
     * ({@link java.util.concurrent.CompletionException}, {@link java.util.concurrent.ExecutionException});
     * anything else counts as a failed query (502).
     */
    public static ChargebackException from(Throwable error) {
        Throwable t = unwrap(error);
        if (t instanceof ChargebackException c) {
            return c;
        }
        return new ChargebackException(Status.BAD_GATEWAY, "chargeback query failed: " + t, t);
    }

    static Throwable unwrap(Throwable error) {
        Throwable t = error;
        while ((t instanceof java.util.concurrent.CompletionException
                || t instanceof java.util.concurrent.ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    static ChargebackException badRequest(String message) {
        return new ChargebackException(Status.BAD_REQUEST, message);
    }
}
