package io.gpuq.scheduler.chargeback;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.gpuq.scheduler.metrics.query.PrometheusClient;
import io.gpuq.scheduler.metrics.query.PrometheusQueryException;
import io.gpuq.scheduler.metrics.query.VectorSample;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * Answers chargeback questions from Prometheus: the {@code increase()} of the cost and GPU-seconds
 * counters over the range, evaluated at its end, four instant queries sent at once. Answers are cached
 * for a minute (a dashboard refreshing the same month asks once); failures are not cached, so the next
 * request asks again.
 */
public final class ChargebackService {

    private static final BigDecimal SECONDS_PER_HOUR = BigDecimal.valueOf(3600);

    private final PrometheusClient prometheus;
    private final InstantSource clock;
    private final Cache<ChargebackRequest, ChargebackReport> answers;

    /** Asks the Prometheus at {@code prometheusUrl}, each query bounded by {@code timeout}. */
    public ChargebackService(URI prometheusUrl, Duration timeout) {
        this(new PrometheusClient(prometheusUrl, timeout), InstantSource.system());
    }

    /** @param clock what "now" is for relative times and the future check (Prometheus' own time) */
    public ChargebackService(PrometheusClient prometheus, InstantSource clock) {
        this.prometheus = Objects.requireNonNull(prometheus, "prometheus");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.answers = Caffeine.newBuilder()
                .expireAfterWrite(Duration.ofMinutes(1))
                .maximumSize(256)
                .recordStats()
                .build();
    }

    /**
     * Reads a request in its text form, relative times taken from this service's clock.
     *
     * @throws ChargebackException (bad request) naming what is wrong and what is allowed
     */
    public ChargebackRequest request(String from, String to, String groupBy) {
        return ChargebackRequest.parse(from, to, groupBy, clock.instant());
    }

    /** The bill; fails with a {@link ChargebackException} saying whether Prometheus was unreachable, slow or wrong. */
    public CompletableFuture<ChargebackReport> report(ChargebackRequest request) {
        ChargebackReport cached = answers.getIfPresent(request);
        if (cached != null) {
            return CompletableFuture.completedFuture(cached);
        }
        return ask(request).thenApply(report -> {
            answers.put(request, report);
            return report;
        });
    }

    /** The answers cache, for its statistics. */
    public Cache<ChargebackRequest, ChargebackReport> cache() {
        return answers;
    }

    public String prometheus() {
        return prometheus.server();
    }

    private CompletableFuture<ChargebackReport> ask(ChargebackRequest r) {
        CompletableFuture<List<VectorSample>> cost = query(ChargebackQueries.cost(r), r);
        CompletableFuture<List<VectorSample>> seconds = query(ChargebackQueries.gpuSeconds(r), r);
        CompletableFuture<List<VectorSample>> unallocated = query(ChargebackQueries.unallocated(r), r);
        CompletableFuture<List<VectorSample>> fleet = query(ChargebackQueries.fleet(r), r);
        return CompletableFuture.allOf(cost, seconds, unallocated, fleet)
                .handle((ignored, error) -> {
                    if (error != null) {
                        throw translate(error);
                    }
                    return new ChargebackReport(r.from(), r.to(), r.groupBy(),
                            rows(r.groupBy(), cost.join(), seconds.join()), amounts(unallocated.join()),
                            amounts(fleet.join()));
                });
    }

    private CompletableFuture<List<VectorSample>> query(String promql, ChargebackRequest r) {
        return prometheus.instantQuery(promql, r.to());
    }

    private static List<ChargebackReport.Row> rows(GroupBy groupBy, List<VectorSample> cost,
                                                   List<VectorSample> seconds) {
        Map<String, BigDecimal> hours = new TreeMap<>();
        for (VectorSample s : seconds) {
            hours.merge(name(s, groupBy), BigDecimal.valueOf(s.value()), BigDecimal::add);
        }
        Map<String, Map<String, BigDecimal>> costs = new TreeMap<>();
        Set<String> currencies = new LinkedHashSet<>();
        for (VectorSample s : cost) {
            String currency = s.label("currency") == null ? "" : s.label("currency");
            currencies.add(currency);
            costs.computeIfAbsent(name(s, groupBy), k -> new LinkedHashMap<>())
                    .merge(currency, BigDecimal.valueOf(s.value()), BigDecimal::add);
        }
        String onlyCurrency = currencies.size() == 1 ? currencies.iterator().next() : "";
        Set<String> names = new LinkedHashSet<>(costs.keySet());
        names.addAll(hours.keySet());
        List<ChargebackReport.Row> rows = new ArrayList<>();
        for (String name : names) {
            BigDecimal h = round(hours.getOrDefault(name, BigDecimal.ZERO).divide(SECONDS_PER_HOUR,
                    ChargebackReport.SCALE + 4, RoundingMode.HALF_EVEN));
            Map<String, BigDecimal> byCurrency = costs.getOrDefault(name, Map.of(onlyCurrency, BigDecimal.ZERO));
            byCurrency.forEach((currency, amount) -> rows.add(new ChargebackReport.Row(name, h, round(amount), currency)));
        }
        rows.sort(Comparator.comparing(ChargebackReport.Row::name).thenComparing(ChargebackReport.Row::currency));
        return rows;
    }

    private static List<ChargebackReport.Amount> amounts(List<VectorSample> samples) {
        Map<String, BigDecimal> byCurrency = new TreeMap<>();
        for (VectorSample s : samples) {
            byCurrency.merge(s.label("currency") == null ? "" : s.label("currency"), BigDecimal.valueOf(s.value()),
                    BigDecimal::add);
        }
        List<ChargebackReport.Amount> out = new ArrayList<>();
        byCurrency.forEach((currency, amount) -> out.add(new ChargebackReport.Amount(round(amount), currency)));
        return out;
    }

    private static String name(VectorSample s, GroupBy groupBy) {
        String v = s.label(groupBy.label());
        return v == null ? "" : v;
    }

    private static BigDecimal round(BigDecimal v) {
        return v.setScale(ChargebackReport.SCALE, RoundingMode.HALF_EVEN);
    }

    private static ChargebackException translate(Throwable error) {
        Throwable t = ChargebackException.unwrap(error);
        if (t instanceof PrometheusQueryException p) {
            ChargebackException.Status status = p.kind() == PrometheusQueryException.Kind.TIMEOUT
                    ? ChargebackException.Status.GATEWAY_TIMEOUT : ChargebackException.Status.BAD_GATEWAY;
            return new ChargebackException(status, "chargeback needs Prometheus: " + p.getMessage(), p);
        }
        return ChargebackException.from(t);
    }
}
