package io.gpuq.webhook.admission;

/**
 * The request body is not a usable AdmissionReview (not an object, wrong kind, no uid …). The HTTP
 * layer answers 400 with this message; it is never a 5xx.
 */
public final class BadReviewException extends RuntimeException {
    public BadReviewException(String message) {
        super(message);
    }
}
