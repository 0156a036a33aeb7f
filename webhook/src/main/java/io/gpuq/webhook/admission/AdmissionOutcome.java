package io.gpuq.webhook.admission;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The answer to one AdmissionReview: the response document (same apiVersion as the request) and the
 * facts the HTTP layer records in metrics and logs.
 */
public record AdmissionOutcome(ObjectNode responseReview, boolean allowed, String operation, boolean patched) {
}
