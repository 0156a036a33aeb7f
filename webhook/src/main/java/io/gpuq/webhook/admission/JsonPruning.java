package io.gpuq.webhook.admission;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * Members of a JSON document that a reader may leave out of the tree it builds: paths of member names,
 * where {@code *} stands for every element of an array. Immutable once built.
 */
public final class JsonPruning {

    /** In a path, any element of an array. */
    public static final String ANY_ELEMENT = "*";

    private static final JsonPruning NONE = new JsonPruning(Map.of(), null, false);

    private final Map<String, JsonPruning> members;
    private final JsonPruning elements;
    private final boolean skipped;

    private JsonPruning(Map<String, JsonPruning> members, JsonPruning elements, boolean skipped) {
        this.members = members;
        this.elements = elements;
        this.skipped = skipped;
    }

    /** Leaves nothing out. */
    public static JsonPruning none() {
        return NONE;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** What to leave out inside member {@code name} of an object at this place; null for nothing. */
    public JsonPruning member(String name) {
        return members.get(name);
    }

    /** What to leave out inside each element of an array at this place; null for nothing. */
    public JsonPruning elements() {
        return elements;
    }

    /** The value at this place is left out whole. */
    public boolean skipped() {
        return skipped;
    }

    public static final class Builder {
        private final Node root = new Node();

        private Builder() {
        }

        /**
         * Leaves out the value at {@code path}: member names, or {@link #ANY_ELEMENT} for the elements of an
         * array on the way; the last step is a member name.
         */
        public Builder skip(String... path) {
            if (path.length == 0) {
                throw new IllegalArgumentException("a pruned path names at least one member");
            }
            if (path[path.length - 1].equals(ANY_ELEMENT)) {
                // Leaving out elements would shift the indexes of the rest, and patch paths with them.
                throw new IllegalArgumentException("a pruned path ends in a member name, not in array elements: "
                        + String.join(".", path));
            }
            Node at = root;
            for (String step : path) {
                at = step.equals(ANY_ELEMENT) ? at.elements() : at.member(step);
            }
            at.skipped = true;
            return this;
        }

        public JsonPruning build() {
            return root.freeze();
        }
    }

    private static final class Node {
        final Map<String, Node> members = new HashMap<>();
        Node elements;
        boolean skipped;

        Node member(String name) {
            return members.computeIfAbsent(name, n -> new Node());
        }

        Node elements() {
            if (elements == null) {
                elements = new Node();
            }
            return elements;
        }

        JsonPruning freeze() {
            if (skipped) {
                return new JsonPruning(Map.of(), null, true);
            }
            Map<String, JsonPruning> frozen = new HashMap<>();
            members.forEach((name, node) -> frozen.put(name, node.freeze()));
            // A HashMap, not Map.copyOf: it is looked up for every member the reader meets on a pruned
            // path, and finds a slot with a mask where the immutable map divides.
            return new JsonPruning(Collections.unmodifiableMap(frozen), elements == null ? null : elements.freeze(),
                    false);
        }
    }
}
