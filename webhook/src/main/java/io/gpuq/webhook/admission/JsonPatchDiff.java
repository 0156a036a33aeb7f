package io.gpuq.webhook.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Iterator;
import java.util.Map;

/**
 * The RFC 6902 patch that turns one JSON document into another. The mutator edits a copy of the pod
 * and lets this compute the patch, so the patch is exactly the edit and nothing else: members are
 * added, removed or replaced where they differ, arrays are compared element by element and only
 * appended or shortened at the end, so untouched siblings never appear in the patch.
 *
 * <p>A subtree that is the very same node on both sides is equal without looking inside: the mutator's
 * {@link PodDraft} shares every subtree it did not write to with the admitted pod, so the diff descends
 * only along the edits. The draft's copies also keep the members of the admitted pod in their order
 * and append new ones, so an object is first compared in that order without looking any member up.
 */
final class JsonPatchDiff {

    private JsonPatchDiff() {
    }

    /** The patch as a JSON array. */
    static ArrayNode diff(JsonNode from, JsonNode to) {
        return operations(from, to).toJson();
    }

    static JsonPatch operations(JsonNode from, JsonNode to) {
        JsonPatch patch = new JsonPatch();
        diff(Pointer.ROOT, from, to, patch);
        return patch;
    }

    /** Escapes one reference token: {@code ~} as {@code ~0} and {@code /} as {@code ~1}, in that order. */
    static String escape(String token) {
        return child(null, token);
    }

    /**
     * The pointer to member {@code token} of the node at {@code parent} (null for the token alone),
     * escaped in one pass into one array: the same as replacing every ~ and then every /, as no ~ is
     * written for a /. Label and annotation keys mostly hold a /, and a StringBuilder char by char
     * was a good part of the diff.
     */
    static String child(String parent, String token) {
        boolean plain = token.indexOf('~') < 0 && token.indexOf('/') < 0;
        if (plain) {
            return parent == null ? token : parent + "/" + token;
        }
        int specials = 0;
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c == '~' || c == '/') {
                specials++;
            }
        }
        int start = parent == null ? 0 : parent.length() + 1;
        char[] out = new char[start + token.length() + specials];
        if (parent != null) {
            parent.getChars(0, parent.length(), out, 0);
            out[start - 1] = '/';
        }
        int at = start;
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c == '~' || c == '/') {
                out[at++] = '~';
                out[at++] = c == '~' ? '0' : '1';
            } else {
                out[at++] = c;
            }
        }
        return new String(out);
    }

    /*
     * Objects and arrays are compared member by member rather than with equals() first: equal ones
     * yield no operation either way, and comparing whole subtrees at every level would visit a deep
     * node once per ancestor.
     */
    private static void diff(Pointer path, JsonNode from, JsonNode to, JsonPatch ops) {
        if (from == to) {
            return;
        }
        if (!diffContainers(path, from, to, ops) && !from.equals(to)) {
            ops.add(JsonPatch.REPLACE, path, to);
        }
    }

    /** Member {@code key} of the objects at {@code path}. */
    private static void diffMember(Pointer path, String key, JsonNode from, JsonNode to, JsonPatch ops) {
        if (sameKind(from, to)) {
            diffContainers(path.member(key), from, to, ops);
        } else if (!from.equals(to)) {
            ops.add(JsonPatch.REPLACE, path.member(key), to);
        }
    }

    /** Like {@link #diffMember} for element {@code index} of the arrays at {@code path}. */
    private static void diffElement(Pointer path, int index, JsonNode from, JsonNode to, JsonPatch ops) {
        if (sameKind(from, to)) {
            diffContainers(path.element(index), from, to, ops);
        } else if (!from.equals(to)) {
            ops.add(JsonPatch.REPLACE, path.element(index), to);
        }
    }

    /** Both objects or both arrays. */
    private static boolean sameKind(JsonNode from, JsonNode to) {
        return from.isObject() ? to.isObject() : from.isArray() && to.isArray();
    }

    /** Diffs two objects or two arrays; false, with nothing done, for any other pair. */
    private static boolean diffContainers(Pointer path, JsonNode from, JsonNode to, JsonPatch ops) {
        if (from.isObject() && to.isObject()) {
            if (to instanceof DraftObject draft && draft.members().onlyGrewFrom(from)) {
                diffGrown(path, draft.members(), ops);
            } else if (!diffInOrder(path, (ObjectNode) from, (ObjectNode) to, ops)) {
                diffObjects(path, (ObjectNode) from, (ObjectNode) to, ops);
            }
            return true;
        }
        if (from.isArray() && to.isArray()) {
            diffArrays(path, (ArrayNode) from, (ArrayNode) to, ops);
            return true;
        }
        return false;
    }

    /**
     * A draft's copy that only had members replaced or added: the same operations as
     * {@link #diffInOrder}, read from the copy's own record of the source's values, without walking
     * the source.
     */
    private static void diffGrown(Pointer path, DraftMembers to, JsonPatch ops) {
        int copied = to.copied();
        for (int i = 0; i < copied; i++) {
            JsonNode before = to.original(i);
            JsonNode after = to.value(i);
            if (before != after) {
                diffMember(path, to.key(i), before, after, ops);
            }
        }
        for (int i = copied; i < to.size(); i++) {
            ops.add(JsonPatch.ADD, path.member(to.key(i)), to.value(i));
        }
    }

    /**
     * The common case of a draft's copy: {@code to} holds every member of {@code from}, in the same
     * order, followed by the added ones. Then both are walked side by side, which gives the same
     * operations as {@link #diffObjects} in the same order without a single lookup. Answers false,
     * with any operation it added taken back, when the members are not in that shape.
     */
    private static boolean diffInOrder(Pointer path, ObjectNode from, ObjectNode to, JsonPatch ops) {
        if (to.size() < from.size()) {
            return false;
        }
        int mark = ops.size();
        Iterator<Map.Entry<String, JsonNode>> fromMembers = from.properties().iterator();
        Iterator<Map.Entry<String, JsonNode>> toMembers = to.properties().iterator();
        while (fromMembers.hasNext()) {
            Map.Entry<String, JsonNode> before = fromMembers.next();
            Map.Entry<String, JsonNode> after = toMembers.next();
            String key = before.getKey();
            if (key != after.getKey() && !key.equals(after.getKey())) {
                ops.truncate(mark);
                return false;
            }
            if (after.getValue() != before.getValue()) {
                diffMember(path, key, before.getValue(), after.getValue(), ops);
            }
        }
        while (toMembers.hasNext()) {
            Map.Entry<String, JsonNode> added = toMembers.next();
            ops.add(JsonPatch.ADD, path.member(added.getKey()), added.getValue());
        }
        return true;
    }

    private static void diffObjects(Pointer path, ObjectNode from, ObjectNode to, JsonPatch ops) {
        int kept = 0;
        for (Map.Entry<String, JsonNode> e : from.properties()) {
            JsonNode target = to.get(e.getKey());
            if (target == null) {
                ops.add(JsonPatch.REMOVE, path.member(e.getKey()), null);
            } else {
                kept++;
                if (target != e.getValue()) {
                    diffMember(path, e.getKey(), e.getValue(), target, ops);
                }
            }
        }
        if (kept == to.size()) {
            // Every member of the target is one of the source's: nothing was added.
            return;
        }
        for (Map.Entry<String, JsonNode> e : to.properties()) {
            if (!from.has(e.getKey())) {
                ops.add(JsonPatch.ADD, path.member(e.getKey()), e.getValue());
            }
        }
    }

    private static void diffArrays(Pointer path, ArrayNode from, ArrayNode to, JsonPatch ops) {
        int fromSize = from.size();
        int toSize = to.size();
        int common = Math.min(fromSize, toSize);
        for (int i = 0; i < common; i++) {
            JsonNode before = from.get(i);
            JsonNode after = to.get(i);
            if (before != after) {
                diffElement(path, i, before, after, ops);
            }
        }
        for (int i = common; i < toSize; i++) {
            ops.add(JsonPatch.ADD, path.element(i), to.get(i));
        }
        // Highest index first, so each removal leaves the indices of the remaining ones valid.
        for (int i = fromSize - 1; i >= common; i--) {
            ops.add(JsonPatch.REMOVE, path.element(i), null);
        }
    }
}
