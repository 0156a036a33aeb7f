package io.gpuq.webhook.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * An RFC 6902 JSON Patch applier, for tests only: it applies what the webhook answers so tests can look
 * at the pod the API server would store. Strict on purpose (RFC 6901 pointers, array indices without
 * leading zeros, no implicit parents), so a patch that passes here applies on any conforming server.
 */
final class JsonPatchApplier {

    /** The patch is malformed or does not apply to the document. */
    static final class PatchException extends RuntimeException {
        PatchException(String message) {
            super(message);
        }
    }

    private static final Pattern INDEX = Pattern.compile("0|[1-9][0-9]{0,9}");

    private JsonPatchApplier() {
    }

    /** Applies {@code patch} to a copy of {@code document}; the document itself is not changed. */
    static JsonNode apply(JsonNode document, JsonNode patch) {
        if (patch == null || !patch.isArray()) {
            throw new PatchException("a JSON patch is an array of operations");
        }
        JsonNode result = document.deepCopy();
        for (JsonNode op : patch) {
            result = applyOne(result, op);
        }
        return result;
    }

    private static JsonNode applyOne(JsonNode document, JsonNode op) {
        if (!op.isObject()) {
            throw new PatchException("an operation is an object: " + op);
        }
        String name = requiredText(op, "op");
        List<String> path = pointer(requiredText(op, "path"));
        return switch (name) {
            case "add" -> add(document, path, requiredValue(op));
            case "remove" -> {
                if (path.isEmpty()) {
                    throw new PatchException("cannot remove the whole document");
                }
                remove(document, path);
                yield document;
            }
            case "replace" -> {
                JsonNode value = requiredValue(op);
                get(document, path);
                if (path.isEmpty()) {
                    yield value.deepCopy();
                }
                remove(document, path);
                yield add(document, path, value);
            }
            case "move" -> {
                List<String> from = pointer(requiredText(op, "from"));
                if (from.equals(path)) {
                    get(document, from);
                    yield document;
                }
                if (path.size() > from.size() && path.subList(0, from.size()).equals(from)) {
                    throw new PatchException("cannot move a value into its own child: " + op);
                }
                JsonNode value = get(document, from);
                remove(document, from);
                yield add(document, path, value);
            }
            case "copy" -> add(document, path, get(document, pointer(requiredText(op, "from"))).deepCopy());
            case "test" -> {
                if (!equivalent(get(document, path), requiredValue(op))) {
                    throw new PatchException("test failed: " + op);
                }
                yield document;
            }
            default -> throw new PatchException("unknown op " + name);
        };
    }

    private static JsonNode add(JsonNode document, List<String> path, JsonNode value) {
        if (path.isEmpty()) {
            return value.deepCopy();
        }
        JsonNode parent = get(document, path.subList(0, path.size() - 1));
        String last = path.get(path.size() - 1);
        if (parent.isObject()) {
            ((ObjectNode) parent).set(last, value.deepCopy());
        } else if (parent.isArray()) {
            ArrayNode array = (ArrayNode) parent;
            int index = "-".equals(last) ? array.size() : index(last, array.size() + 1);
            array.insert(index, value.deepCopy());
        } else {
            throw new PatchException("cannot add below a scalar at " + path);
        }
        return document;
    }

    private static void remove(JsonNode document, List<String> path) {
        JsonNode parent = get(document, path.subList(0, path.size() - 1));
        String last = path.get(path.size() - 1);
        if (parent.isObject()) {
            if (!parent.has(last)) {
                throw new PatchException("no member " + last + " to remove");
            }
            ((ObjectNode) parent).remove(last);
        } else if (parent.isArray()) {
            ((ArrayNode) parent).remove(index(last, parent.size()));
        } else {
            throw new PatchException("cannot remove below a scalar at " + path);
        }
    }

    private static JsonNode get(JsonNode document, List<String> path) {
        JsonNode current = document;
        for (String token : path) {
            if (current.isObject()) {
                if (!current.has(token)) {
                    throw new PatchException("no member " + token);
                }
                current = current.get(token);
            } else if (current.isArray()) {
                current = current.get(index(token, current.size()));
            } else {
                throw new PatchException("cannot descend into a scalar with " + token);
            }
        }
        return current;
    }

    /** An array index below {@code bound}: digits only, no leading zeros (RFC 6901 §4). */
    private static int index(String token, int bound) {
        if (!INDEX.matcher(token).matches()) {
            throw new PatchException("not an array index: " + token);
        }
        long index = Long.parseLong(token);
        if (index >= bound) {
            throw new PatchException("array index out of bounds: " + token);
        }
        return (int) index;
    }

    static List<String> pointer(String text) {
        List<String> tokens = new ArrayList<>();
        if (text.isEmpty()) {
            return tokens;
        }
        if (text.charAt(0) != '/') {
            throw new PatchException("a JSON pointer starts with '/': " + text);
        }
        for (String raw : text.substring(1).split("/", -1)) {
            tokens.add(unescape(raw));
        }
        return tokens;
    }

    private static String unescape(String raw) {
        StringBuilder out = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c != '~') {
                out.append(c);
                continue;
            }
            char next = i + 1 < raw.length() ? raw.charAt(i + 1) : '\0';
            if (next == '0') {
                out.append('~');
            } else if (next == '1') {
                out.append('/');
            } else {
                throw new PatchException("bad escape in pointer token " + raw);
            }
            i++;
        }
        return out.toString();
    }

    /** JSON equality: numbers by value (1 equals 1.0), objects regardless of member order. */
    static boolean equivalent(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        if (a.getNodeType() != b.getNodeType()) {
            return false;
        }
        if (a.isArray()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (int i = 0; i < a.size(); i++) {
                if (!equivalent(a.get(i), b.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (a.isObject()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (Map.Entry<String, JsonNode> e : a.properties()) {
                JsonNode other = b.get(e.getKey());
                if (other == null || !equivalent(e.getValue(), other)) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }

    private static String requiredText(JsonNode op, String member) {
        JsonNode node = op.get(member);
        if (node == null || !node.isTextual()) {
            throw new PatchException("operation needs a string '" + member + "': " + op);
        }
        return node.asText();
    }

    private static JsonNode requiredValue(JsonNode op) {
        if (!op.has("value")) {
            throw new PatchException("operation needs a 'value': " + op);
        }
        return op.get("value");
    }
}
