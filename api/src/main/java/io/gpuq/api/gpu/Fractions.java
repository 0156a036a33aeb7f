package io.gpuq.api.gpu;

import java.math.BigDecimal;
import java.util.function.Supplier;

/** Turns a fraction already known to lie in (0, 1) into milli-GPUs, refusing precision that would be lost. */
final class Fractions {

    private static final int MILLI_SCALE = 3;

    private Fractions() {
    }

    /**
     * @param value         a number with {@code 0 < value < 1}
     * @param messagePrefix "what "value" is not allowed: ", prepended to the error; asked for only then
     */
    static int toMilli(BigDecimal value, Supplier<String> messagePrefix) {
        // Stripping zeros only lowers the scale, so a value written with at most 3 decimals needs none.
        if (value.scale() > MILLI_SCALE && value.stripTrailingZeros().scale() > MILLI_SCALE) {
            throw new GpuRequestException(messagePrefix.get() + "a fraction has at most 3 decimal places (GPUs are"
                    + " shared in thousandths), such as \"0.333\"");
        }
        return value.movePointRight(MILLI_SCALE).intValueExact();
    }
}
