package io.gpuq.scheduler.runaijob;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.KubernetesClientException;

/** API errors in the words of the API server, for logs and Events (the client's own text repeats the URL and the whole Status). */
final class ApiErrors {

    private ApiErrors() {
    }

    /** {@code "HTTP 422 Invalid: Pod \"x\" is invalid: ..."}, or the client's first line when there is no Status. */
    static String describe(KubernetesClientException e) {
        Status status = e.getStatus();
        String code = e.getCode() > 0 ? "HTTP " + e.getCode() : "no HTTP answer";
        if (status != null && status.getMessage() != null) {
            return code + (status.getReason() == null ? "" : " " + status.getReason()) + ": " + status.getMessage();
        }
        return code + ": " + firstLine(e.getMessage());
    }

    static String firstLine(String message) {
        if (message == null) {
            return "no message";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
