package io.gpuq.webhook.admission;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Renders a {@link Verdict} as the AdmissionReview the API server expects, in the request's version. */
final class ReviewResponses {

    /** Kubernetes' code for a request the policy refuses. */
    static final int FORBIDDEN = 403;
    static final String PATCH_TYPE = "JSONPatch";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ReviewResponses() {
    }

    static ObjectNode render(ReviewRequest request, Verdict verdict) {
        ObjectNode review = NODES.objectNode();
        review.put("apiVersion", request.apiVersion());
        review.put("kind", ReviewRequest.KIND);
        ObjectNode response = review.putObject("response");
        response.put("uid", request.uid());
        response.put("allowed", verdict.allowed());
        if (!verdict.allowed()) {
            ObjectNode status = response.putObject("status");
            status.put("code", FORBIDDEN);
            status.put("reason", "Forbidden");
            status.put("message", verdict.message());
        }
        if (verdict.allowed() && verdict.hasPatch()) {
            response.put("patchType", PATCH_TYPE);
            // A binary node is written as standard Base64, the encoding the API server expects, straight
            // into the answer rather than through an intermediate string.
            response.put("patch", verdict.patch().toBytes());
        }
        if (!verdict.warnings().isEmpty()) {
            ArrayNode warnings = response.putArray("warnings");
            verdict.warnings().forEach(warnings::add);
        }
        return review;
    }
}
