package io.gpuq.webhook.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gpuq.webhook.admission.AdmissionEndpoint;
import io.gpuq.webhook.admission.AdmissionOutcome;

import java.util.Optional;

/**
 * The answer when reviewing failed unexpectedly: a denial, not an HTTP 5xx. A 5xx would make the API
 * server apply the webhook's failure policy, and with {@code Ignore} the pod would skip every quota
 * rule; a denial tells the user what happened and keeps the rules in force.
 */
final class Denials {

    static final String V1 = "admission.k8s.io/v1";
    static final String V1BETA1 = "admission.k8s.io/v1beta1";

    private Denials() {
    }

    /** Empty when the review has no uid to answer to; the caller then answers 400. */
    static Optional<AdmissionOutcome> internalError(AdmissionEndpoint endpoint, JsonNode review) {
        JsonNode request = review.path("request");
        JsonNode uid = request.path("uid");
        if (!uid.isTextual() || uid.asText().isEmpty()) {
            return Optional.empty();
        }
        String apiVersion = review.path("apiVersion").asText(V1);
        if (!V1.equals(apiVersion) && !V1BETA1.equals(apiVersion)) {
            apiVersion = V1;
        }
        JsonNode op = request.path("operation");
        String operation = op.isTextual() ? op.asText() : "UNKNOWN";
        ObjectNode doc = JsonNodeFactory.instance.objectNode()
                .put("apiVersion", apiVersion)
                .put("kind", "AdmissionReview");
        ObjectNode response = doc.putObject("response")
                .put("uid", uid.asText())
                .put("allowed", false);
        response.putObject("status")
                .put("code", 500)
                .put("reason", "InternalError")
                .put("message", "the gpuq admission webhook (" + endpoint.metricName() + ") failed while reviewing "
                        + "this request, so it is denied rather than admitted unchecked; retry, and report it to "
                        + "the cluster administrator with the webhook's log if it persists");
        return Optional.of(new AdmissionOutcome(doc, false, operation, false));
    }
}
