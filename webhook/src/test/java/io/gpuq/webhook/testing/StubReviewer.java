package io.gpuq.webhook.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gpuq.webhook.admission.AdmissionEndpoint;
import io.gpuq.webhook.admission.AdmissionOutcome;
import io.gpuq.webhook.admission.AdmissionReviewer;
import io.gpuq.webhook.admission.BadReviewException;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A reviewer for testing the HTTP layer alone: checks the AdmissionReview envelope like a real one
 * must, allows everything except objects named "deny-me", and throws an unexpected exception for
 * objects named "boom".
 */
public final class StubReviewer implements AdmissionReviewer {

    public final AtomicInteger reviews = new AtomicInteger();

    @Override
    public AdmissionOutcome review(AdmissionEndpoint endpoint, JsonNode review) {
        reviews.incrementAndGet();
        String apiVersion = review.path("apiVersion").asText("");
        if (!apiVersion.equals("admission.k8s.io/v1") && !apiVersion.equals("admission.k8s.io/v1beta1")) {
            throw new BadReviewException("apiVersion must be admission.k8s.io/v1 or v1beta1");
        }
        if (!"AdmissionReview".equals(review.path("kind").asText())) {
            throw new BadReviewException("kind must be AdmissionReview");
        }
        JsonNode uid = review.path("request").path("uid");
        if (!uid.isTextual() || uid.asText().isEmpty()) {
            throw new BadReviewException("request.uid is missing");
        }
        String name = review.path("request").path("name").asText("");
        if (name.equals("boom")) {
            throw new IllegalStateException("simulated reviewer bug");
        }
        boolean allowed = !name.equals("deny-me");
        ObjectNode doc = JsonNodeFactory.instance.objectNode()
                .put("apiVersion", apiVersion)
                .put("kind", "AdmissionReview");
        ObjectNode response = doc.putObject("response").put("uid", uid.asText()).put("allowed", allowed);
        if (!allowed) {
            response.putObject("status").put("code", 403).put("message", "denied by the stub");
        }
        return new AdmissionOutcome(doc, allowed, review.path("request").path("operation").asText("CREATE"), false);
    }
}
