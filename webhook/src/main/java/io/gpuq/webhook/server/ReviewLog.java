package io.gpuq.webhook.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpuq.webhook.admission.AdmissionEndpoint;
import io.gpuq.webhook.admission.AdmissionOutcome;

import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * One log line per review: denials and failures at INFO or above, allowed reviews at FINE (at thousands
 * of reviews a second an INFO line each would cost more than the review). Each record carries the
 * request uid, namespace/name, operation, outcome and duration as {@link LogFields}.
 */
final class ReviewLog {

    static final String LOGGER = "io.gpuq.webhook.access";
    private static final Logger LOG = Logger.getLogger(LOGGER);

    void reviewed(AdmissionEndpoint endpoint, JsonNode review, AdmissionOutcome outcome, long nanos) {
        Level level = outcome.allowed() ? Level.FINE : Level.INFO;
        if (!LOG.isLoggable(level)) {
            return;
        }
        JsonNode request = review.path("request");
        String uid = text(request.path("uid"));
        String namespace = text(request.path("namespace"));
        String name = objectName(request);
        String message = text(outcome.responseReview().path("response").path("status").path("message"));
        double ms = nanos / 1e6;
        String text = endpoint.metricName() + " " + outcome.operation() + " " + namespace + "/" + name + " uid " + uid
                + (outcome.allowed() ? " allowed" : " denied") + (outcome.patched() ? " with a patch" : "")
                + String.format(Locale.ROOT, " in %.3f ms", ms) + (message == null ? "" : ": " + message);
        log(level, text, LogFields.builder()
                .put("webhook", endpoint.metricName())
                .put("uid", uid)
                .put("namespace", namespace)
                .put("name", name)
                .put("operation", outcome.operation())
                .put("allowed", outcome.allowed())
                .put("patched", outcome.patched())
                .put("durationMs", Math.round(ms * 1000) / 1000.0)
                .put("reason", message)
                .build(), null);
    }

    void rejected(AdmissionEndpoint endpoint, String remote, int status, String message) {
        if (!LOG.isLoggable(Level.INFO)) {
            return;
        }
        log(Level.INFO, endpoint.metricName() + " request from " + remote + " answered " + status + ": " + message,
                LogFields.builder()
                        .put("webhook", endpoint.metricName())
                        .put("remote", remote)
                        .put("status", status)
                        .put("reason", message)
                        .build(), null);
    }

    void failed(AdmissionEndpoint endpoint, JsonNode review, Throwable error) {
        JsonNode request = review.path("request");
        String uid = text(request.path("uid"));
        String namespace = text(request.path("namespace"));
        String name = objectName(request);
        log(Level.SEVERE, endpoint.metricName() + " failed on " + namespace + "/" + name + " uid " + uid
                        + "; the request is denied so that no rule is skipped, and the server keeps serving",
                LogFields.builder()
                        .put("webhook", endpoint.metricName())
                        .put("uid", uid)
                        .put("namespace", namespace)
                        .put("name", name)
                        .put("allowed", false)
                        .build(), error);
    }

    private static void log(Level level, String message, LogFields fields, Throwable error) {
        LogRecord record = new LogRecord(level, message);
        record.setLoggerName(LOGGER);
        record.setParameters(new Object[] {fields});
        record.setThrown(error);
        LOG.log(record);
    }

    /** The object's name; pods created from generateName have none yet, so the prefix stands in for it. */
    private static String objectName(JsonNode request) {
        String name = text(request.path("name"));
        if (name != null && !name.isEmpty()) {
            return name;
        }
        JsonNode meta = request.path("object").path("metadata");
        name = text(meta.path("name"));
        if (name != null && !name.isEmpty()) {
            return name;
        }
        String prefix = text(meta.path("generateName"));
        return prefix == null ? "" : prefix + "*";
    }

    private static String text(JsonNode n) {
        return n.isValueNode() ? n.asText() : null;
    }
}
