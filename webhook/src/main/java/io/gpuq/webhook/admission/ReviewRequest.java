package io.gpuq.webhook.admission;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Locale;

/**
 * The parts of an AdmissionReview's {@code request} that admission decisions use, checked once.
 *
 * @param apiVersion  {@code admission.k8s.io/v1} or {@code admission.k8s.io/v1beta1}; the answer uses it
 * @param uid         echoed in the response
 * @param operation   CREATE, UPDATE, DELETE or CONNECT; CREATE when the review names none
 * @param kind        {@code request.kind.kind}, or null
 * @param group       {@code request.kind.group}, or null
 * @param resource    {@code request.resource.resource}, or null
 * @param subResource {@code request.subResource}, or null for the main resource
 * @param namespace   {@code request.namespace}, or null
 * @param username    {@code request.userInfo.username}, or null
 * @param object      the object being admitted, or null (DELETE)
 * @param oldObject   the object before an UPDATE or DELETE, or null
 */
record ReviewRequest(String apiVersion, String uid, String operation, String kind, String group,
                     String resource, String subResource, String namespace, String username,
                     JsonNode object, JsonNode oldObject) {

    static final String V1 = "admission.k8s.io/v1";
    static final String V1BETA1 = "admission.k8s.io/v1beta1";
    static final String KIND = "AdmissionReview";

    static final String CREATE = "CREATE";
    static final String UPDATE = "UPDATE";

    static ReviewRequest parse(JsonNode review) {
        if (review == null || !review.isObject()) {
            throw new BadReviewException("the body must be a JSON object (an AdmissionReview), got "
                    + describe(review));
        }
        String kind = JsonReads.textAt(review, "kind");
        if (!KIND.equals(kind)) {
            throw new BadReviewException("kind must be \"" + KIND + "\", got " + describe(review.get("kind")));
        }
        String apiVersion = JsonReads.textAt(review, "apiVersion");
        if (!V1.equals(apiVersion) && !V1BETA1.equals(apiVersion)) {
            throw new BadReviewException("apiVersion must be \"" + V1 + "\" or \"" + V1BETA1 + "\", got "
                    + describe(review.get("apiVersion")));
        }
        JsonNode request = review.get("request");
        if (request == null || !request.isObject()) {
            throw new BadReviewException("request is missing or not an object");
        }
        JsonNode uid = request.get("uid");
        if (uid == null || !uid.isTextual() || uid.asText().isBlank()) {
            throw new BadReviewException("request.uid is missing: the response must echo it");
        }
        JsonNode operationNode = request.get("operation");
        if (operationNode != null && !operationNode.isNull() && !operationNode.isTextual()) {
            throw new BadReviewException("request.operation must be a string, got " + describe(operationNode));
        }
        String operation = operationNode == null || operationNode.isNull() || operationNode.asText().isBlank()
                ? CREATE : operationNode.asText().toUpperCase(Locale.ROOT);
        JsonNode object = objectOrNull(request, "object");
        JsonNode oldObject = objectOrNull(request, "oldObject");
        if (object == null && (CREATE.equals(operation) || UPDATE.equals(operation))) {
            throw new BadReviewException("request.object is missing for " + operation);
        }
        return new ReviewRequest(apiVersion, uid.asText(), operation,
                JsonReads.textAt(request, "kind", "kind"),
                JsonReads.textAt(request, "kind", "group"),
                JsonReads.textAt(request, "resource", "resource"),
                blankToNull(JsonReads.textAt(request, "subResource")),
                blankToNull(JsonReads.textAt(request, "namespace")),
                JsonReads.textAt(request, "userInfo", "username"),
                object, oldObject);
    }

    /**
     * Whether the admitted object is of {@code expectedKind} in {@code expectedGroup}: from
     * {@code request.kind} when present (case-insensitively, as some tools write "pod"), else from
     * {@code request.resource}, else from the object's own {@code kind}. A review that says nothing
     * about the kind gets the benefit of the doubt: each endpoint is registered for one kind only.
     */
    boolean isKind(String expectedGroup, String expectedKind, String expectedResource) {
        if (kind != null) {
            return kind.equalsIgnoreCase(expectedKind) && sameGroup(expectedGroup);
        }
        if (resource != null) {
            return resource.equalsIgnoreCase(expectedResource) && sameGroup(expectedGroup);
        }
        String own = JsonReads.textAt(object != null ? object : oldObject, "kind");
        return own == null || own.isBlank() || expectedKind.equalsIgnoreCase(own);
    }

    /** The namespace of the object: the request's, else the object's own. */
    String effectiveNamespace() {
        if (namespace != null) {
            return namespace;
        }
        String own = blankToNull(JsonReads.textAt(object, "metadata", "namespace"));
        return own != null ? own : blankToNull(JsonReads.textAt(oldObject, "metadata", "namespace"));
    }

    boolean isCreate() {
        return CREATE.equals(operation);
    }

    boolean isUpdate() {
        return UPDATE.equals(operation);
    }

    private boolean sameGroup(String expectedGroup) {
        return group == null || group.equals(expectedGroup);
    }

    private static JsonNode objectOrNull(JsonNode request, String key) {
        JsonNode node = request.get(key);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw new BadReviewException("request." + key + " must be an object, got " + describe(node));
        }
        return node;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static String describe(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        if (node.isTextual()) {
            String text = node.asText();
            return "\"" + (text.length() > 60 ? text.substring(0, 60) + "..." : text) + "\"";
        }
        return node.getNodeType().name().toLowerCase(Locale.ROOT);
    }
}
