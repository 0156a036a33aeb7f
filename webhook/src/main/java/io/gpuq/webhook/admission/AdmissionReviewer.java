package io.gpuq.webhook.admission;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Answers AdmissionReviews. Pure and thread-safe: reads the cluster only through
 * {@link io.gpuq.webhook.ClusterView} and the current settings, blocks on nothing, so it may run on an
 * event loop.
 */
public interface AdmissionReviewer {
    /**
     * @param endpoint  which webhook was called
     * @param review    the parsed request body
     * @throws BadReviewException when the body is not a usable AdmissionReview
     */
    AdmissionOutcome review(AdmissionEndpoint endpoint, JsonNode review) throws BadReviewException;

    /**
     * Members of a review to {@code endpoint} that {@link #review} never reads, which the server may leave
     * out of the tree it passes; by default none.
     */
    default JsonPruning unread(AdmissionEndpoint endpoint) {
        return JsonPruning.none();
    }
}
