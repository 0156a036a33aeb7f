package io.gpuq.webhook.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Writes into a copy of the admitted object. Parents are created only on the way to a write, so a step
 * that ends up writing nothing leaves no empty objects behind (they would show up in the patch), and
 * a member of an unexpected type is never overwritten: the write is skipped instead, because replacing
 * it would destroy what the user sent.
 */
final class MutableTrees {

    private MutableTrees() {
    }

    /** The object at {@code key}, created when missing or null; null when the member is something else. */
    static ObjectNode object(ObjectNode parent, String key) {
        if (parent == null) {
            return null;
        }
        JsonNode existing = parent.get(key);
        if (existing == null || existing.isNull()) {
            return parent.putObject(key);
        }
        return existing.isObject() ? (ObjectNode) existing : null;
    }

    /** The object at {@code path} below {@code root}, creating each missing step. */
    static ObjectNode object(ObjectNode root, String... path) {
        ObjectNode current = root;
        for (String key : path) {
            current = object(current, key);
            if (current == null) {
                return null;
            }
        }
        return current;
    }

    /** The array at {@code key}, created when missing or null; null when the member is something else. */
    static ArrayNode array(ObjectNode parent, String key) {
        if (parent == null) {
            return null;
        }
        JsonNode existing = parent.get(key);
        if (existing == null || existing.isNull()) {
            return parent.putArray(key);
        }
        return existing.isArray() ? (ArrayNode) existing : null;
    }

    /** The object at {@code key} if it already is one, without creating anything. */
    static ObjectNode existingObject(JsonNode parent, String key) {
        JsonNode node = parent == null ? null : parent.get(key);
        return node != null && node.isObject() ? (ObjectNode) node : null;
    }

    /** The array at {@code key} if it already is one, without creating anything. */
    static ArrayNode existingArray(JsonNode parent, String key) {
        JsonNode node = parent == null ? null : parent.get(key);
        return node != null && node.isArray() ? (ArrayNode) node : null;
    }

    /** Sets a string member unless it already holds a value (users' values are kept). */
    static void putIfAbsent(ObjectNode root, String value, String key, String... parents) {
        JsonNode holder = JsonReads.at(root, parents);
        if (holder.isObject()) {
            JsonNode current = holder.get(key);
            if (current != null && !current.isNull()) {
                return;
            }
        } else if (!holder.isMissingNode() && !holder.isNull()) {
            return;
        }
        ObjectNode parent = object(root, parents);
        if (parent != null) {
            parent.put(key, value);
        }
    }
}
