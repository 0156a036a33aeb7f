package io.gpuq.webhook.admission;

import java.util.List;

/**
 * What a webhook decided about one object.
 *
 * @param allowed  whether the object is admitted
 * @param message  why it was denied (null when allowed)
 * @param patch    RFC 6902 operations for a mutation; empty when nothing changes
 * @param warnings things that are allowed but probably not what the user meant
 */
record Verdict(boolean allowed, String message, JsonPatch patch, List<String> warnings) {

    Verdict {
        warnings = List.copyOf(warnings);
    }

    static Verdict allow() {
        return new Verdict(true, null, null, List.of());
    }

    static Verdict allow(List<String> warnings) {
        return new Verdict(true, null, null, warnings);
    }

    static Verdict patch(JsonPatch patch, List<String> warnings) {
        return new Verdict(true, null, patch, warnings);
    }

    static Verdict deny(String message, List<String> warnings) {
        return new Verdict(false, message, null, warnings);
    }

    /** Allowed when there are no denials; otherwise denied with every reason, so users fix all at once. */
    static Verdict of(Findings findings) {
        if (findings.denials().isEmpty()) {
            return allow(findings.warnings());
        }
        return deny(String.join("; ", findings.denials()), findings.warnings());
    }

    boolean hasPatch() {
        return patch != null && !patch.isEmpty();
    }
}
