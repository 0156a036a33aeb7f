package io.gpuq.api.gpu;

/**
 * Echoes user input inside error messages. The input may be anything a user or a buggy tool put in an
 * annotation, so it is shortened and escaped to keep the message readable and on one line.
 */
public final class Quoting {

    private static final int MAX_ECHO = 40;

    private Quoting() {
    }

    /** The value in double quotes, at most 40 characters of it, control characters escaped. */
    public static String quote(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder("\"");
        int shown = 0;
        for (int i = 0; i < value.length() && shown < MAX_ECHO; i++, shown++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7f || Character.isSurrogate(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        if (value.length() > MAX_ECHO) {
            out.append("...");
        }
        return out.append('"').toString();
    }
}
