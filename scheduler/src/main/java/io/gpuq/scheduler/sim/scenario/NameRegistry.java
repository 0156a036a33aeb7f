package io.gpuq.scheduler.sim.scenario;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The names of one kind (nodes, projects, …) seen so far: checks their form and uniqueness. Names
 * become Kubernetes object names in the demo, hence the DNS-1123 rule.
 */
final class NameRegistry {
    private static final Pattern DNS_NAME = Pattern.compile("[a-z0-9]([-.a-z0-9]*[a-z0-9])?");
    private static final int MAX_LENGTH = 63;
    private static final int LISTED = 12;

    private final String source;
    private final String kind;
    private final Set<String> names = new LinkedHashSet<>();

    NameRegistry(String source, String kind) {
        this.source = source;
        this.kind = kind;
    }

    /** Registers the name read from {@code key} of {@code f}; rejects a bad form or a repeat. */
    String register(Fields f, String key) {
        String name = f.requiredString(key, "every " + kind + " needs a name");
        checkForm(f, key, name);
        add(f, key, name);
        return name;
    }

    /** Registers a derived name (a counted node's {@code <name>-<i>}), reporting at {@code key}. */
    void add(Fields f, String key, String name) {
        if (!names.add(name)) {
            throw f.error(key, "duplicate " + kind + " name '" + name + "'; " + kind + " names must be unique");
        }
    }

    void checkForm(Fields f, String key, String name) {
        if (name.length() > MAX_LENGTH || !DNS_NAME.matcher(name).matches()) {
            throw f.error(key, "'" + name + "' is not a valid " + kind + " name; use at most " + MAX_LENGTH
                    + " lowercase letters, digits, '-' and '.', starting and ending with a letter or digit");
        }
    }

    boolean contains(String name) {
        return names.contains(name);
    }

    Set<String> all() {
        return names;
    }

    /** "unknown project 'x'; known: a, b (did you mean 'a'?)" */
    String unknown(String name) {
        String guess = Spelling.closest(name, names);
        return "unknown " + kind + " '" + name + "'"
                + (guess == null ? "" : " (did you mean '" + guess + "'?)")
                + "; known " + kind + "s: " + listing();
    }

    private String listing() {
        if (names.isEmpty()) {
            return "none";
        }
        List<String> shown = names.stream().limit(LISTED).toList();
        String more = names.size() > LISTED ? ", … (" + names.size() + " in all)" : "";
        return String.join(", ", shown) + more;
    }
}
