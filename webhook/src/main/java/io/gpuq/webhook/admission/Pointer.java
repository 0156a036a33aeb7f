package io.gpuq.webhook.admission;

/**
 * A JSON pointer of the patch, kept as its parent and last reference token: the diff makes one per
 * member it descends into or changes, and building each as a string of the whole path was a good part
 * of the diff. It is escaped and spelled out only as it is written ({@link PlainJsonWriter#pointer})
 * or, rarely, turned into text.
 */
final class Pointer {

    /** The whole document, the empty pointer. */
    static final Pointer ROOT = new Pointer(null, null, -1, "");

    private final Pointer parent;
    /** The member's name, unescaped; null for an array element or a pointer given as text. */
    private final String token;
    /** The element's index; negative for anything else. */
    private final int index;
    /** The whole pointer, escaped, when it was given as text; null otherwise. */
    private final String text;

    private Pointer(Pointer parent, String token, int index, String text) {
        this.parent = parent;
        this.token = token;
        this.index = index;
        this.text = text;
    }

    /** A pointer given whole, already escaped. */
    static Pointer of(String escaped) {
        return new Pointer(null, null, -1, escaped);
    }

    /** Member {@code name} of the node this points at. */
    Pointer member(String name) {
        return new Pointer(this, name, -1, null);
    }

    /** Element {@code at} of the array this points at. */
    Pointer element(int at) {
        return new Pointer(this, null, at, null);
    }

    Pointer parent() {
        return parent;
    }

    String token() {
        return token;
    }

    int index() {
        return index;
    }

    String text() {
        return text;
    }

    @Override
    public String toString() {
        if (text != null) {
            return text;
        }
        return token != null ? JsonPatchDiff.child(parent.toString(), token) : parent + "/" + index;
    }
}
