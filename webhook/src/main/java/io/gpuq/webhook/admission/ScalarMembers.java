package io.gpuq.webhook.admission;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.AbstractMap;
import java.util.Map;
import java.util.Set;

/**
 * The scalar members of a JSON object (labels, annotations) as a read-only map of text, read from the
 * object on each lookup. The rules only look up a few keys per review, so copying every label and
 * annotation into a map first cost more than the lookups; the full map is built only if someone
 * iterates, and then it is exactly {@link JsonReads#stringMap}.
 *
 * <p>The object must not change while this view is used: it is always part of the admitted review.
 */
final class ScalarMembers extends AbstractMap<String, String> {

    private final JsonNode object;
    private Map<String, String> copy;

    ScalarMembers(JsonNode object) {
        this.object = object;
    }

    @Override
    public String get(Object key) {
        if (!(key instanceof String name) || !object.isObject()) {
            return null;
        }
        return JsonReads.text(object.get(name));
    }

    @Override
    public boolean containsKey(Object key) {
        return get(key) != null;
    }

    @Override
    public Set<Entry<String, String>> entrySet() {
        if (copy == null) {
            copy = JsonReads.stringMap(object);
        }
        return copy.entrySet();
    }
}
