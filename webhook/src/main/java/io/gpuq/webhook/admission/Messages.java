package io.gpuq.webhook.admission;

import io.gpuq.api.gpu.Quoting;

import java.math.BigDecimal;
import java.util.Collection;
import java.util.stream.Collectors;

/** Spelling of values inside user-facing messages: quoted, shortened, numbers without noise. */
final class Messages {

    private Messages() {
    }

    /** A user-supplied value in quotes, shortened and with control characters escaped. */
    static String quote(String value) {
        return Quoting.quote(value);
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
