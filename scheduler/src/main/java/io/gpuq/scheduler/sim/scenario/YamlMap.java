package io.gpuq.scheduler.sim.scenario;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A YAML mapping in document order. Keys are unique (the tree parser rejects duplicates);
 * {@code keyMarks} holds where each key was written, as {line, column}.
 */
record YamlMap(String path, int line, int column, Map<String, YamlNode> entries, Map<String, int[]> keyMarks)
        implements YamlNode {

    YamlMap {
        entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
        keyMarks = Collections.unmodifiableMap(new LinkedHashMap<>(keyMarks));
    }

    YamlNode get(String key) {
        return entries.get(key);
    }

    @Override
    public String describe() {
        return "a map";
    }
}
