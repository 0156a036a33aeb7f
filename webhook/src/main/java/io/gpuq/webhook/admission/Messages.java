package io.gpuq.webhook.admission;

import java.math.BigDecimal;
import java.util.Collection;
import java.util.stream.Collectors;

/** Spelling of values inside user-facing messages: quoted, shortened, numbers without noise. */
final class Messages {

    private static final int MAX_ECHO = 60;

    private Messages() {
    }

    /** A user-supplied value in quotes, shortened and with control characters escaped. */
    static String quote(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder("\"");
        int end = Math.min(value.length(), MAX_ECHO);
        for (int i = 0; i < end; i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7f) {
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

    static String quoteAll(Collection<String> values) {
        return values.stream().map(Messages::quote).collect(Collectors.joining(", "));
    }

    /** GPUs as people write them: 4, 0.5, 2.25. */
    static String gpus(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return String.valueOf(value);
        }
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }
}
