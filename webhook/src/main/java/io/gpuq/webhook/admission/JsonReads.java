package io.gpuq.webhook.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Lenient reads from admission JSON. Review bodies come from the API server but also from tools and
 * tests, so any member may be missing, null or of an unexpected type; a read never throws, it answers
 * "absent" instead and leaves the judgement to the rules.
 */
final class JsonReads {

    private JsonReads() {
    }

    /** The member at {@code path}, or a missing node when any step is absent or not an object. */
    static JsonNode at(JsonNode node, String... path) {
        JsonNode current = node;
        for (String key : path) {
            if (current == null || !current.isObject()) {
                return MissingNode.getInstance();
            }
            current = current.get(key);
        }
        return current == null ? MissingNode.getInstance() : current;
    }

    /*
     * Fixed-arity forms of the walks nearly every read is: a varargs call builds its array on each
     * call, and these reads run a few dozen times per review.
     */

    /** The member {@code key}, or a missing node when absent or {@code node} is not an object. */
    static JsonNode at(JsonNode node, String key) {
        JsonNode member = node == null || !node.isObject() ? null : node.get(key);
        return member == null ? MissingNode.getInstance() : member;
    }

    /** Like {@link #at(JsonNode, String...)} for two steps. */
    static JsonNode at(JsonNode node, String first, String second) {
        return at(at(node, first), second);
    }

    /**
     * A scalar's text: strings as they are, numbers and booleans as JSON spells them (YAML manifests
     * often carry {@code nvidia.com/gpu: 1} or an unquoted annotation). Null for absent, null and
     * container values.
     */
    static String text(JsonNode node) {
        if (node == null || !node.isValueNode() || node.isNull()) {
            return null;
        }
        return node.asText();
    }

    static String textAt(JsonNode node, String... path) {
        return text(at(node, path));
    }

    static String textAt(JsonNode node, String key) {
        return text(at(node, key));
    }

    static String textAt(JsonNode node, String first, String second) {
        return text(at(node, first, second));
    }

    /** An object of scalars (labels, annotations) as text; members that are not scalars are left out. */
    static Map<String, String> stringMap(JsonNode node) {
        if (node == null || !node.isObject() || node.isEmpty()) {
            return Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            String value = text(e.getValue());
            if (value != null) {
                out.put(e.getKey(), value);
            }
        }
        return Collections.unmodifiableMap(out);
    }

    /** True for a non-blank string-ish value. */
    static boolean hasText(String value) {
        return value != null && !value.isBlank();
    }
}
