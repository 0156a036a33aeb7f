package io.gpuq.webhook.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pod as the mutation steps edit it, copied on write: it starts as a one-level copy of the admitted
 * pod, and each object or array on the way to a write is copied when a step first asks for it, so
 * every subtree no step wrote to is the admitted pod's own node. The patch is then found by descending
 * only where the nodes differ, and a review costs neither a copy of the whole pod nor a walk over it.
 *
 * <p>Writes go only to nodes this draft handed out ({@link #object}, {@link #array}, {@link #objectAt}
 * and their variants); a step must never write to a node it merely read, because that node may belong
 * to the admitted pod. Parents are created only on the way to a write, so a step that ends up writing
 * nothing leaves no empty objects behind (they would show up in the patch), and a member of an
 * unexpected type is never overwritten: the write is skipped instead, because replacing it would
 * destroy what the user sent.
 */
final class PodDraft {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** Members or elements a mutation step typically adds to a copied object or array. */
    private static final int SPARE_MEMBERS = 4;
    private static final int SPARE_ELEMENTS = 2;
    private static final float LOAD_FACTOR = 0.75f;

    private final ObjectNode original;
    private final ObjectNode root;
    /**
     * Nodes this draft created or copied. A handful per review, so a list searched by identity beats an
     * identity set, whose first hash of each new node is a call into the JVM.
     */
    private final List<JsonNode> owned = new ArrayList<>(16);

    PodDraft(ObjectNode original) {
        this.original = original;
        this.root = copyOf(original);
        owned.add(root);
    }

    /** The pod with every edit so far, for reading; write through the other methods only. */
    ObjectNode root() {
        return root;
    }

    /** The RFC 6902 patch from the admitted pod to the draft. */
    JsonPatch patch() {
        return JsonPatchDiff.operations(original, root);
    }

    /** The writable object at {@code path} below the root, creating each missing step; null when blocked. */
    ObjectNode object(String... path) {
        ObjectNode current = root;
        for (String key : path) {
            current = object(current, key);
            if (current == null) {
                return null;
            }
        }
        return current;
    }

    /**
     * The writable object at {@code key} of a writable parent, created when missing or null; null when
     * the parent is null or the member is something else.
     */
    ObjectNode object(ObjectNode parent, String key) {
        if (parent == null) {
            return null;
        }
        requireWritable(parent);
        JsonNode existing = parent.get(key);
        if (existing == null || existing.isNull()) {
            return created(parent.putObject(key));
        }
        return existing.isObject() ? writable(parent, key, existing) : null;
    }

    /** Like {@link #object(ObjectNode, String)} for an array. */
    ArrayNode array(ObjectNode parent, String key) {
        if (parent == null) {
            return null;
        }
        requireWritable(parent);
        JsonNode existing = parent.get(key);
        if (existing == null || existing.isNull()) {
            return created(parent.putArray(key));
        }
        return existing.isArray() ? writable(parent, key, existing) : null;
    }

    /** The writable object at {@code key} if it already is one, without creating anything. */
    ObjectNode existingObject(ObjectNode parent, String key) {
        JsonNode existing = parent == null ? null : parent.get(key);
        if (existing == null || !existing.isObject()) {
            return null;
        }
        requireWritable(parent);
        return writable(parent, key, existing);
    }

    /** The writable array at {@code key} if it already is one, without creating anything. */
    ArrayNode existingArray(ObjectNode parent, String key) {
        JsonNode existing = parent == null ? null : parent.get(key);
        if (existing == null || !existing.isArray()) {
            return null;
        }
        requireWritable(parent);
        return writable(parent, key, existing);
    }

    /** The writable object at {@code index} of a writable array; null when that element is not an object. */
    ObjectNode objectAt(ArrayNode array, int index) {
        JsonNode existing = array == null ? null : array.get(index);
        if (existing == null || !existing.isObject()) {
            return null;
        }
        requireWritable(array);
        if (owns(existing)) {
            return (ObjectNode) existing;
        }
        ObjectNode copy = copyOf((ObjectNode) existing);
        array.set(index, copy);
        return created(copy);
    }

    /** Sets a string member unless it already holds a value (users' values are kept). */
    void putIfAbsent(String value, String key, String... parents) {
        JsonNode holder = JsonReads.at(root, parents);
        if (holder.isObject()) {
            JsonNode current = holder.get(key);
            if (current != null && !current.isNull()) {
                return;
            }
        } else if (!holder.isMissingNode() && !holder.isNull()) {
            return;
        }
        ObjectNode parent = object(parents);
        if (parent != null) {
            parent.put(key, value);
        }
    }

    /** Replaces a member that still belongs to the admitted pod by a one-level copy the draft owns. */
    @SuppressWarnings("unchecked")
    private <T extends JsonNode> T writable(ObjectNode parent, String key, JsonNode existing) {
        if (owns(existing)) {
            return (T) existing;
        }
        JsonNode copy = existing.isObject() ? copyOf((ObjectNode) existing)
                : NODES.arrayNode(existing.size() + SPARE_ELEMENTS).addAll((ArrayNode) existing);
        parent.set(key, copy);
        return (T) created(copy);
    }

    /**
     * A one-level copy with room for a few more members, so neither the copy nor the members a step
     * adds next make its map grow (a node's default map is sized for 12 members).
     */
    private static ObjectNode copyOf(ObjectNode source) {
        int members = source.size() + SPARE_MEMBERS;
        Map<String, JsonNode> children = new LinkedHashMap<>((int) (members / LOAD_FACTOR) + 1, LOAD_FACTOR);
        for (Map.Entry<String, JsonNode> e : source.properties()) {
            children.put(e.getKey(), e.getValue());
        }
        return new ObjectNode(NODES, children);
    }

    private boolean owns(JsonNode node) {
        for (int i = owned.size() - 1; i >= 0; i--) {
            if (owned.get(i) == node) {
                return true;
            }
        }
        return false;
    }

    private <T extends JsonNode> T created(T node) {
        owned.add(node);
        return node;
    }

    private void requireWritable(JsonNode parent) {
        if (!owns(parent)) {
            throw new IllegalStateException("a mutation step tried to write below a node it only read; "
                    + "that node may belong to the admitted pod");
        }
    }
}
