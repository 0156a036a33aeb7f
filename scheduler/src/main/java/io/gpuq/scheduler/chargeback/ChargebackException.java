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

    static ChargebackException badRequest(String message) {
        return new ChargebackException(Status.BAD_REQUEST, message);
    }
}
