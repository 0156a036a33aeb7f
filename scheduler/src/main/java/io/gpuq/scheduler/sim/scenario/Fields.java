package io.gpuq.scheduler.sim.scenario;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Typed, strict access to the keys of one YAML map: unknown keys are rejected up front (with the
 * allowed keys and a guess at the intended one), and every read names the field on failure.
 */
final class Fields {
    private final String source;
    private final YamlMap map;

    private Fields(String source, YamlMap map) {
        this.source = source;
        this.map = map;
    }

    /** Checks that {@code node} is a map whose keys are all in {@code allowed} (in that order in messages). */
    static Fields of(String source, YamlNode node, List<String> allowed) {
        if (!(node instanceof YamlMap)) {
            throw ScenarioException.at(source, node, "expected a map with keys " + String.join(", ", allowed)
                    + ", found " + node.describe());
        }
        YamlMap m = (YamlMap) node;
        Set<String> allowedSet = Set.copyOf(allowed);
        for (Map.Entry<String, YamlNode> e : m.entries().entrySet()) {
            if (!allowedSet.contains(e.getKey())) {
                int[] at = m.keyMarks().getOrDefault(e.getKey(), new int[] {m.line(), m.column()});
                String guess = Spelling.closest(e.getKey(), allowed);
                throw ScenarioException.at(source, at[0], at[1], e.getValue().path(),
                        "unknown key '" + e.getKey() + "'"
                                + (guess == null ? "" : " (did you mean '" + guess + "'?)")
                                + "; allowed keys: " + String.join(", ", allowed));
            }
        }
        return new Fields(source, m);
    }

    YamlMap map() {
        return map;
    }

    boolean has(String key) {
        YamlNode n = map.get(key);
        return n != null && !(n instanceof YamlScalar && ((YamlScalar) n).isNull());
    }

    /** The node under {@code key}; the map itself when absent, so errors still point somewhere useful. */
    YamlNode node(String key) {
        YamlNode n = map.get(key);
        return n == null ? map : n;
    }

    String path(String key) {
        return map.path().isEmpty() ? key : map.path() + "." + key;
    }

    ScenarioException error(String key, String problem) {
        YamlNode n = map.get(key);
        if (n == null) {
            return ScenarioException.at(source, map.line(), map.column(), path(key), problem);
        }
        return ScenarioException.at(source, n, problem);
    }

    String requiredString(String key, String what) {
        if (!has(key)) {
            throw error(key, "missing; " + what);
        }
        return string(key);
    }

    String optionalString(String key, String dflt) {
        return has(key) ? string(key) : dflt;
    }

    private String string(String key) {
        YamlNode n = map.get(key);
        if (!(n instanceof YamlScalar)) {
            throw ScenarioException.at(source, n, "expected text, found " + n.describe());
        }
        String s = ((YamlScalar) n).text().trim();
        if (s.isEmpty()) {
            throw ScenarioException.at(source, n, "must not be empty");
        }
        return s;
    }

    BigDecimal requiredNumber(String key, String what) {
        if (!has(key)) {
            throw error(key, "missing; " + what);
        }
        return number(key, what);
    }

    BigDecimal optionalNumber(String key, BigDecimal dflt, String what) {
        return has(key) ? number(key, what) : dflt;
    }

    private BigDecimal number(String key, String what) {
        YamlNode n = map.get(key);
        if (!(n instanceof YamlScalar) || !((YamlScalar) n).isNumber()) {
            throw ScenarioException.at(source, n, "expected a number, found " + n.describe() + "; " + what);
        }
        return (BigDecimal) ((YamlScalar) n).value();
    }

    /** A whole number; {@code what} says what is allowed, for the message. */
    long requiredLong(String key, String what) {
        if (!has(key)) {
            throw error(key, "missing; " + what);
        }
        return whole(key, what);
    }

    long optionalLong(String key, long dflt, String what) {
        return has(key) ? whole(key, what) : dflt;
    }

    private long whole(String key, String what) {
        BigDecimal d = number(key, what);
        try {
            return d.stripTrailingZeros().longValueExact();
        } catch (ArithmeticException e) {
            throw error(key, d.toPlainString() + " is not a whole number; " + what);
        }
    }

    Boolean optionalBoolean(String key) {
        if (!has(key)) {
            return null;
        }
        YamlNode n = map.get(key);
        if (!(n instanceof YamlScalar) || !(((YamlScalar) n).value() instanceof Boolean)) {
            throw ScenarioException.at(source, n, "expected true or false, found " + n.describe());
        }
        return (Boolean) ((YamlScalar) n).value();
    }

    /** The items of a list under {@code key}; empty when absent. */
    List<YamlNode> list(String key) {
        if (!has(key)) {
            return List.of();
        }
        YamlNode n = map.get(key);
        if (!(n instanceof YamlList)) {
            throw ScenarioException.at(source, n, "expected a list, found " + n.describe());
        }
        return ((YamlList) n).items();
    }

    /** A map of text to text (labels); empty when absent. */
    Map<String, String> stringMap(String key) {
        if (!has(key)) {
            return Map.of();
        }
        YamlNode n = map.get(key);
        if (!(n instanceof YamlMap)) {
            throw ScenarioException.at(source, n, "expected a map of text to text, found " + n.describe());
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, YamlNode> e : ((YamlMap) n).entries().entrySet()) {
            YamlNode v = e.getValue();
            if (!(v instanceof YamlScalar) || ((YamlScalar) v).isNull()) {
                throw ScenarioException.at(source, v, "expected a text value, found " + v.describe());
            }
            out.put(e.getKey(), ((YamlScalar) v).text());
        }
        return out;
    }
}
