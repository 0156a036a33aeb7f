package io.gpuq.webhook.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;


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

    private final ObjectNode original;
    private final ObjectNode root;

    PodDraft(ObjectNode original) {
        this.original = original;
        this.root = copyOf(original);
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
            return put(parent, key, new DraftObject(this, new DraftMembers(SPARE_MEMBERS)));
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
            return put(parent, key, new OwnedArray(this, SPARE_ELEMENTS));
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
        return copy;
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
                : new OwnedArray(this, existing.size() + SPARE_ELEMENTS).addAll((ArrayNode) existing);
        return (T) put(parent, key, copy);
    }

    /** A one-level copy with room for a few more members, so the members a step adds next fit. */
    private ObjectNode copyOf(ObjectNode source) {
        return new DraftObject(this, new DraftMembers(source, SPARE_MEMBERS));
    }

    /** Nodes of this draft are of its own two types, so ownership is a type check, not a search. */
    private boolean owns(JsonNode node) {
        return node instanceof DraftObject object ? object.draft() == this
                : node instanceof OwnedArray array && array.draft == this;
    }

    private static <T extends JsonNode> T put(ObjectNode parent, String key, T child) {
        parent.set(key, child);
        return child;
    }

    private void requireWritable(JsonNode parent) {
        if (!owns(parent)) {
            throw new IllegalStateException("a mutation step tried to write below a node it only read; "
                    + "that node may belong to the admitted pod");
        }
    }

    /** An array this draft created or copied. */
    private static final class OwnedArray extends ArrayNode {

        private final transient PodDraft draft;

        OwnedArray(PodDraft draft, int capacity) {
            super(NODES, capacity);
            this.draft = draft;
        }
    }
}
