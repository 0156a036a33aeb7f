package io.gpuq.api.gpu;

import java.math.BigDecimal;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kubernetes resource quantity syntax ({@code "1"}, {@code "0.5"}, {@code ".25"}, {@code "500m"},
 * {@code "2Gi"}, {@code "1e3"}), read exactly with {@link BigDecimal} so that {@code "0.1"} stays 0.1.
 * Hand-written rather than fabric8's {@code Quantity} because the input is untrusted: lengths and
 * exponents are bounded so no value can make the parser allocate or compute without limit.
 */
final class QuantityParser {

    /** How the number was scaled, which matters where a unit is implied (gpu-memory is MiB). */
    enum Suffix {
        /** A bare number. */
        NONE,
        /** Ki, Mi, Gi, Ti, Pi, Ei: powers of 1024. */
        BINARY,
        /** n, u, m, k, M, G, T, P, E or an e/E exponent: powers of 10. */
        DECIMAL
    }

    record Parsed(BigDecimal value, Suffix suffix) {
    }

    static final int MAX_LENGTH = 64;
    private static final int MAX_EXPONENT = 30;

    private static final Pattern QUANTITY = Pattern.compile(
            "([+-]?)([0-9]+\\.?[0-9]*|\\.[0-9]+)(Ki|Mi|Gi|Ti|Pi|Ei|[eE][+-]?[0-9]{1,3}|[numkMGTPE])?");

    private QuantityParser() {
    }

    /** Empty when the text is not a quantity; surrounding whitespace is tolerated. */
    static Optional<Parsed> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String s = text.strip();
        if (s.isEmpty() || s.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        if (isPlainDecimal(s)) {
            // What the pattern reads as an unsigned number without suffix, by far the common case.
            return Optional.of(new Parsed(new BigDecimal(s), Suffix.NONE));
        }
        Matcher m = QUANTITY.matcher(s);
        if (!m.matches()) {
            return Optional.empty();
        }
        BigDecimal number = new BigDecimal(m.group(2));
        if ("-".equals(m.group(1))) {
            number = number.negate();
        }
        String suffix = m.group(3);
        if (suffix == null) {
            return Optional.of(new Parsed(number, Suffix.NONE));
        }
        if (suffix.length() == 2 && suffix.charAt(1) == 'i') {
            int power = "KMGTPE".indexOf(suffix.charAt(0)) + 1;
            return Optional.of(new Parsed(number.multiply(BigDecimal.valueOf(1024).pow(power)), Suffix.BINARY));
        }
        int exponent;
        if (suffix.length() > 1) {
            exponent = Integer.parseInt(suffix.substring(1));
            if (Math.abs(exponent) > MAX_EXPONENT) {
                return Optional.empty();
            }
        } else {
            exponent = decimalExponent(suffix.charAt(0));
        }
        return Optional.of(new Parsed(number.scaleByPowerOfTen(exponent), Suffix.DECIMAL));
    }

    /** Digits with at most one point and at least one digit: "2", "0.5", ".25", "3." (all BigDecimal syntax). */
    private static boolean isPlainDecimal(String s) {
        boolean digit = false;
        boolean point = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                digit = true;
            } else if (c == '.' && !point) {
                point = true;
            } else {
                return false;
            }
        }
        return digit;
    }

    private static int decimalExponent(char suffix) {
        return switch (suffix) {
            case 'n' -> -9;
            case 'u' -> -6;
            case 'm' -> -3;
            case 'k' -> 3;
            case 'M' -> 6;
            case 'G' -> 9;
            case 'T' -> 12;
            case 'P' -> 15;
            case 'E' -> 18;
            default -> throw new IllegalStateException("suffix outside the pattern: " + suffix);
        };
    }
}
