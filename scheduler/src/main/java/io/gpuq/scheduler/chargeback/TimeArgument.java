package io.gpuq.scheduler.chargeback;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The time forms a chargeback range accepts: an RFC 3339 time ({@code 2026-05-01T00:00:00Z}, or with an
 * offset), a date ({@code 2026-05-01}, midnight UTC), unix seconds ({@code 1777593600}), {@code now}, or
 * {@code now-<n><unit>} with unit s, m, h, d or w ({@code now-7d}).
 */
final class TimeArgument {

    static final String FORMS = "an RFC 3339 time (2026-05-01T00:00:00Z), a date (2026-05-01, midnight UTC), "
            + "unix seconds, now, or now-<n><s|m|h|d|w> (now-7d)";
    private static final Pattern RELATIVE = Pattern.compile("now-(\\d{1,9})([smhdw])");
    private static final Pattern UNIX = Pattern.compile("\\d{1,12}(\\.\\d{1,9})?");

    private TimeArgument() {
    }

    static Instant parse(String text, String name, Instant now) {
        if (text == null || text.isBlank()) {
            throw ChargebackException.badRequest(name + " is required: " + FORMS);
        }
        String t = text.trim();
        if (t.equals("now")) {
            return now;
        }
        Matcher m = RELATIVE.matcher(t);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            Duration unit = switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(1);
                case "m" -> Duration.ofMinutes(1);
                case "h" -> Duration.ofHours(1);
                case "d" -> Duration.ofDays(1);
                default -> Duration.ofDays(7);
            };
            return now.minus(unit.multipliedBy(n));
        }
        if (UNIX.matcher(t).matches()) {
            BigDecimal seconds = new BigDecimal(t);
            return Instant.ofEpochMilli(seconds.movePointRight(3).longValue());
        }
        try {
            if (t.length() == 10) {
                return LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            return OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeException e) {
            throw ChargebackException.badRequest(name + " '" + text + "' is not a time; use " + FORMS);
        }
    }
}
