package io.gpuq.webhook.admission;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Numeric quota fields of Project and Department specs, read from the admitted JSON so that a wrong
 * type is reported against the field rather than failing a whole-object conversion.
 */
final class QuotaFields {

    /** The only negative value with a meaning: "all" for deserved quota, "unlimited" for maxGpus. */
    static final double SENTINEL = -1;

    private QuotaFields() {
    }

    /** The number at {@code field}, null when absent or null; records a denial when it is not a number. */
    static Double number(JsonNode spec, String field, String path, Findings findings) {
        JsonNode node = spec == null ? null : spec.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isNumber()) {
            findings.deny(path + " must be a number, got " + describe(node));
            return null;
        }
        return node.asDouble();
    }

    static void deserved(Double value, String path, Findings findings) {
        if (value != null && value < 0 && value != SENTINEL) {
            findings.deny(path + " " + Messages.gpus(value) + " is not allowed: use 0 or more GPUs (fractions allowed),"
                    + " or -1 for \"all\"");
        }
    }

    static void max(Double value, String path, Findings findings) {
        if (value != null && value < 0 && value != SENTINEL) {
            findings.deny(path + " " + Messages.gpus(value) + " is not allowed: use 0 or more GPUs, or -1 (or leave it"
                    + " out) for unlimited");
        }
    }

    static void weight(Double value, String path, Findings findings) {
        if (value != null && value < 0) {
            findings.deny(path + " " + Messages.gpus(value) + " is not allowed: use 0 or more (0 = no share of the"
                    + " surplus; default 1)");
        }
    }

    /** The over-quota bucket is compared as an integer; a fraction would be silently truncated. */
    static void priority(JsonNode spec, Findings findings) {
        JsonNode node = spec == null ? null : spec.get("priority");
        if (node != null && !node.isNull() && !(node.isIntegralNumber() && node.canConvertToInt())) {
            findings.deny("spec.priority must be a whole number (the over-quota bucket, default 100), got "
                    + (node.isNumber() ? node.asText() : describe(node)));
        }
    }

    /** Deserved above a finite ceiling can never be honoured. */
    static void deservedWithinMax(Double deserved, String deservedWhat, Double max, Findings findings) {
        if (deserved == null || max == null || deserved < 0 || max < 0 || deserved <= max) {
            return;
        }
        findings.deny(deservedWhat + " " + Messages.gpus(deserved) + " is above spec.maxGpus " + Messages.gpus(max)
                + ": a queue cannot be guaranteed more than it may use; lower the deserved quota or raise maxGpus");
    }

    /** CRDs live in the system namespace, the only one the scheduler and the webhook read them from. */
    static void inSystemNamespace(String kind, String namespace, String systemNamespace, Findings findings) {
        if (namespace != null && !namespace.equals(systemNamespace)) {
            findings.deny(kind + "s live in namespace " + Messages.quote(systemNamespace) + ", where gpuq reads them; this "
                    + kind + " is in " + Messages.quote(namespace) + ": create it in " + Messages.quote(systemNamespace)
                    + (kind.equals("Project") ? " and point spec.namespace at the namespace of its pods" : ""));
        }
    }

    private static String describe(JsonNode node) {
        return node.isTextual() ? Messages.quote(node.asText()) : node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }
}
