package io.gpuq.scheduler.chargeback;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/** One chargeback question: the cost of [from, to) grouped by project, department or node pool. */
public record ChargebackRequest(Instant from, Instant to, GroupBy groupBy) {

    /** Clocks of Prometheus and its clients differ a little; a range may end this far in the future. */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(1);

    public ChargebackRequest {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(groupBy, "groupBy");
    }

    /**
     * Reads a request from its text form (query parameters, command-line options); relative times are
     * taken from {@code now}.
     *
     * @param groupBy null means project
     * @throws ChargebackException (bad request) naming what is wrong and what is allowed
     */
    public static ChargebackRequest parse(String from, String to, String groupBy, Instant now) {
        GroupBy g = groupBy == null || groupBy.isBlank() ? GroupBy.PROJECT : GroupBy.parse(groupBy.trim());
        Instant f = TimeArgument.parse(from, "from", now);
        Instant t = TimeArgument.parse(to, "to", now);
        if (!f.isBefore(t)) {
            throw ChargebackException.badRequest("the range is empty: from (" + f + ") must be before to (" + t + ")");
        }
        if (Duration.between(f, t).toMillis() < 1000) {
            throw ChargebackException.badRequest("the range " + f + " to " + t
                    + " is shorter than one second; Prometheus cannot compute an increase over it");
        }
        if (t.isAfter(now.plus(CLOCK_SKEW))) {
            throw ChargebackException.badRequest("to (" + t + ") is in the future (now is " + now
                    + "); cost is known only up to now");
        }
        return new ChargebackRequest(f, t, g);
    }

    /** The range as a PromQL duration: whole seconds when it is, else milliseconds. */
    String promRange() {
        long millis = Duration.between(from, to).toMillis();
        return millis % 1000 == 0 ? (millis / 1000) + "s" : millis + "ms";
    }
}
