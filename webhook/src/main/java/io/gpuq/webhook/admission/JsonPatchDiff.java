package io.gpuq.webhook.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;

/**
 * The RFC 6902 patch that turns one JSON document into another. The mutator edits a copy of the pod
 * and lets this compute the patch, so the patch is exactly the edit and nothing else: members are
 * added, removed or replaced where they differ, arrays are compared element by element and only
 * appended or shortened at the end, so untouched siblings never appear in the patch.
 *
 * <p>A subtree that is the very same node on both sides is equal without looking inside: the mutator's
 * {@link PodDraft} shares every subtree it did not write to with the admitted pod, so the diff descends
 * only along the edits.
 */
final class JsonPatchDiff {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JsonPatchDiff() {
    }

    static ArrayNode diff(JsonNode from, JsonNode to) {
        ArrayNode ops = NODES.arrayNode();
        diff("", from, to, ops);
        return ops;
    }

    /** Escapes one reference token: {@code ~} as {@code ~0} and {@code /} as {@code ~1}, in that order. */
    static String escape(String token) {
        if (token.indexOf('~') < 0 && token.indexOf('/') < 0) {
            return token;
        }
        return token.replace("~", "~0").replace("/", "~1");
    }

    /*
     * Objects and arrays are compared member by member rather than with equals() first: equal ones
     * yield no operation either way, and comparing whole subtrees at every level would visit a deep
     * node once per ancestor.
     */
    private static void diff(String path, JsonNode from, JsonNode to, ArrayNode ops) {
        if (from == to) {
            return;
        }
        if (from.isObject() && to.isObject()) {
            diffObjects(path, (ObjectNode) from, (ObjectNode) to, ops);
        } else if (from.isArray() && to.isArray()) {
            diffArrays(path, (ArrayNode) from, (ArrayNode) to, ops);
        } else if (!from.equals(to)) {
            ops.add(op("replace", path).set("value", to.deepCopy()));
        }
    }

    private static void diffObjects(String path, ObjectNode from, ObjectNode to, ArrayNode ops) {
        for (Map.Entry<String, JsonNode> e : from.properties()) {
            JsonNode target = to.get(e.getKey());
            if (target == null) {
                ops.add(op("remove", path + "/" + escape(e.getKey())));
            } else if (target != e.getValue()) {
                diff(path + "/" + escape(e.getKey()), e.getValue(), target, ops);
            }
        }
        for (Map.Entry<String, JsonNode> e : to.properties()) {
            if (!from.has(e.getKey())) {
                ops.add(op("add", path + "/" + escape(e.getKey())).set("value", e.getValue().deepCopy()));
            }
        }
    }

    private static void diffArrays(String path, ArrayNode from, ArrayNode to, ArrayNode ops) {
        int common = Math.min(from.size(), to.size());
        for (int i = 0; i < common; i++) {
            if (from.get(i) != to.get(i)) {
                diff(path + "/" + i, from.get(i), to.get(i), ops);
            }
        }
        for (int i = common; i < to.size(); i++) {
            ops.add(op("add", path + "/" + i).set("value", to.get(i).deepCopy()));
        }
        // Highest index first, so each removal leaves the indices of the remaining ones valid.
        for (int i = from.size() - 1; i >= common; i--) {
            ops.add(op("remove", path + "/" + i));
        }
    }

    private static ObjectNode op(String name, String path) {
        ObjectNode op = NODES.objectNode();
        op.put("op", name);
        op.put("path", path);
        return op;
    }
}
