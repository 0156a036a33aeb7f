package io.gpuq.scheduler.cluster;

/** The HTTP outcome of one write: its status code and the API server's message. */
record ApiResult(int code, String message) {
    boolean ok() {
        return code >= 200 && code < 300;
    }

    boolean notFound() {
        return code == 404;
    }

    boolean conflict() {
        return code == 409;
    }

    /** Worth trying again: server errors, throttling, timeouts (code 0). */
    boolean retriable() {
        return code == 0 || code == 429 || code >= 500;
    }
}
