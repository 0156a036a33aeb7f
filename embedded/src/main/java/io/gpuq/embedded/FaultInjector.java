package io.gpuq.embedded;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Faults the embedded API injects into matching requests: an HTTP error status (500, 429, 409, ...)
 * for the next N matches, or a delay before every matching response. Rules are checked in the order
 * they were added; the first error rule with matches left wins.
 */
public final class FaultInjector {

    /** What a rule looks at: the HTTP method and the request path (without the query). */
    public record Request(String method, String path) {
        public boolean isBinding() {
            return "POST".equals(method) && (path.endsWith("/binding") || path.endsWith("/bindings"));
        }

        public boolean isEviction() {
            return "POST".equals(method) && path.endsWith("/eviction");
        }
    }

    /** What to do to one request. */
    public record Fault(int status, Duration delay) {
        public boolean failsRequest() {
            return status > 0;
        }
    }

    private record Rule(Predicate<Request> matcher, int status, Duration delay, AtomicInteger remaining) {
    }

    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    private final AtomicInteger injected = new AtomicInteger();

    /** Answer the next {@code times} matching requests with {@code status} (and nothing else happens). */
    public FaultInjector fail(Predicate<Request> matcher, int status, int times) {
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("fault status must be an HTTP error (400-599), was " + status);
        }
        if (times <= 0) {
            throw new IllegalArgumentException("fault count must be > 0, was " + times);
        }
        rules.add(new Rule(matcher, status, Duration.ZERO, new AtomicInteger(times)));
        return this;
    }

    /** Delay every matching response by {@code delay} until {@link #clear()}. */
    public FaultInjector delay(Predicate<Request> matcher, Duration delay) {
        rules.add(new Rule(matcher, 0, delay, new AtomicInteger(Integer.MAX_VALUE)));
        return this;
    }

    public void clear() {
        rules.clear();
    }

    /** How many requests were answered with an injected error so far. */
    public int injectedErrors() {
        return injected.get();
    }

    Optional<Fault> faultFor(Request request) {
        Duration delay = Duration.ZERO;
        for (Rule rule : rules) {
            if (!rule.matcher().test(request)) {
                continue;
            }
            if (rule.status() > 0) {
                if (rule.remaining().getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
                    injected.incrementAndGet();
                    return Optional.of(new Fault(rule.status(), delay));
                }
            } else if (rule.delay().compareTo(delay) > 0) {
                delay = rule.delay();
            }
        }
        return delay.isZero() ? Optional.empty() : Optional.of(new Fault(0, delay));
    }
}
