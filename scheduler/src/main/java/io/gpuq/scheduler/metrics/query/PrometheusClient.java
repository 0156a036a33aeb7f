package io.gpuq.scheduler.metrics.query;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Instant queries against the Prometheus HTTP API ({@code GET /api/v1/query}) with the JDK HTTP client,
 * asynchronously: callers never wait on Prometheus unless they choose to. Every failure completes the
 * future with a {@link PrometheusQueryException} whose message names the server and the cause.
 */
public final class PrometheusClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** How much of an unexpected body is quoted in an error message. */
    private static final int QUOTED_BODY_CHARS = 200;

    private final URI queryEndpoint;
    private final String server;
    private final Duration timeout;
    private final HttpClient http;

    /**
     * @param baseUrl Prometheus' address, e.g. {@code http://prometheus:9090} or one with a path prefix
     *                such as {@code http://monitoring/prometheus}
     * @param timeout how long one query may take, connection included
     * @throws IllegalArgumentException when the URL is not an absolute http(s) URL
     */
    public PrometheusClient(URI baseUrl, Duration timeout) {
        this.queryEndpoint = queryEndpoint(baseUrl);
        this.server = baseUrl.toString();
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        if (timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("the Prometheus query timeout must be positive, was " + timeout);
        }
        this.http = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    /** Parses and checks a Prometheus base URL given as text, e.g. on a command line. */
    public static URI parseBaseUrl(String text) {
        URI uri;
        try {
            uri = URI.create(text.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "' is not a URL; expected e.g. http://prometheus:9090");
        }
        queryEndpoint(uri);
        return uri;
    }

    private static URI queryEndpoint(URI base) {
        Objects.requireNonNull(base, "Prometheus URL");
        String scheme = base.getScheme();
        if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                || base.getHost() == null) {
            throw new IllegalArgumentException("'" + base + "' is not an http(s) URL with a host; expected e.g. "
                    + "http://prometheus:9090");
        }
        String path = base.getRawPath() == null ? "" : base.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return URI.create(scheme + "://" + base.getRawAuthority() + path + "/api/v1/query");
    }

    /** The server this client asks, as configured. */
    public String server() {
        return server;
    }

    public Duration timeout() {
        return timeout;
    }

    /**
     * Evaluates {@code promql} as an instant query at {@code time} (null: Prometheus' current time) and
     * returns the vector's samples; NaN samples are left out.
     */
    public CompletableFuture<List<VectorSample>> instantQuery(String promql, Instant time) {
        StringBuilder url = new StringBuilder(queryEndpoint.toString())
                .append("?query=").append(URLEncoder.encode(promql, StandardCharsets.UTF_8));
        if (time != null) {
            url.append("&time=").append(BigDecimal.valueOf(time.toEpochMilli(), 3).toPlainString());
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(url.toString()))
                .timeout(timeout)
                .header("Accept", "application/json")
                .GET()
                .build();
        try {
            return http.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
                    .handle((response, error) -> {
                        if (error != null) {
                            throw translate(unwrap(error));
                        }
                        return parse(response.statusCode(), response.body());
                    });
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(translate(e));
        }
    }

    private static Throwable unwrap(Throwable error) {
        Throwable t = error;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private PrometheusQueryException translate(Throwable error) {
        if (error instanceof PrometheusQueryException p) {
            return p;
        }
        if (error instanceof HttpConnectTimeoutException) {
            return new PrometheusQueryException(PrometheusQueryException.Kind.UNREACHABLE,
                    "Prometheus at " + server + " is unreachable: no connection within " + seconds(timeout), error);
        }
        if (error instanceof HttpTimeoutException) {
            return new PrometheusQueryException(PrometheusQueryException.Kind.TIMEOUT,
                    "Prometheus at " + server + " did not answer within " + seconds(timeout), error);
        }
        if (error instanceof ConnectException || error instanceof UnresolvedAddressException
                || error.getCause() instanceof UnresolvedAddressException) {
            return new PrometheusQueryException(PrometheusQueryException.Kind.UNREACHABLE,
                    "Prometheus at " + server + " is unreachable: " + describe(error), error);
        }
        if (error instanceof IOException) {
            return new PrometheusQueryException(PrometheusQueryException.Kind.UNREACHABLE,
                    "Prometheus at " + server + " is unreachable: " + describe(error), error);
        }
        return new PrometheusQueryException(PrometheusQueryException.Kind.UNREACHABLE,
                "querying Prometheus at " + server + " failed: " + describe(error), error);
    }

    private static String describe(Throwable t) {
        if (t instanceof UnresolvedAddressException || t.getCause() instanceof UnresolvedAddressException) {
            return "unknown host";
        }
        String m = t.getMessage();
        if (m == null || m.isBlank()) {
            return t instanceof ConnectException ? "connection refused" : t.getClass().getSimpleName();
        }
        return m;
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    private List<VectorSample> parse(int status, String body) {
        JsonNode doc;
        try {
            doc = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            doc = null;
        }
        if (doc == null || !doc.isObject()) {
            PrometheusQueryException.Kind kind = status >= 400
                    ? PrometheusQueryException.Kind.ERROR_RESPONSE : PrometheusQueryException.Kind.MALFORMED;
            throw new PrometheusQueryException(kind, "Prometheus at " + server + " answered HTTP " + status
                    + " with a body that is not a Prometheus API document: " + quote(body));
        }
        String outcome = doc.path("status").asText("");
        if (!"success".equals(outcome) || status >= 400) {
            String error = doc.path("error").asText("");
            String type = doc.path("errorType").asText("");
            throw new PrometheusQueryException(PrometheusQueryException.Kind.ERROR_RESPONSE,
                    "Prometheus at " + server + " answered HTTP " + status
                            + (type.isEmpty() ? "" : " (" + type + ")")
                            + (error.isEmpty() ? " without an error message" : ": " + error));
        }
        JsonNode data = doc.path("data");
        String resultType = data.path("resultType").asText("");
        JsonNode result = data.path("result");
        if (!"vector".equals(resultType) || !result.isArray()) {
            throw new PrometheusQueryException(PrometheusQueryException.Kind.MALFORMED,
                    "Prometheus at " + server + " answered with result type '" + resultType
                            + "'; the query must return an instant vector");
        }
        List<VectorSample> samples = new ArrayList<>(result.size());
        for (JsonNode element : result) {
            samples.add(sample(element));
        }
        samples.removeIf(s -> Double.isNaN(s.value()));
        return Collections.unmodifiableList(samples);
    }

    private VectorSample sample(JsonNode element) {
        JsonNode metric = element.path("metric");
        JsonNode value = element.path("value");
        if (!metric.isObject() || !value.isArray() || value.size() != 2) {
            throw new PrometheusQueryException(PrometheusQueryException.Kind.MALFORMED,
                    "Prometheus at " + server + " answered with a vector element that has no metric and value: "
                            + quote(element.toString()));
        }
        Map<String, String> labels = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = metric.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            labels.put(e.getKey(), e.getValue().asText());
        }
        String text = value.get(1).asText();
        double v;
        try {
            v = parseValue(text);
        } catch (NumberFormatException e) {
            throw new PrometheusQueryException(PrometheusQueryException.Kind.MALFORMED,
                    "Prometheus at " + server + " answered with the sample value '" + text + "', not a number");
        }
        return new VectorSample(labels, v);
    }

    private static double parseValue(String text) {
        switch (text) {
            case "NaN":
                return Double.NaN;
            case "+Inf":
            case "Inf":
                return Double.POSITIVE_INFINITY;
            case "-Inf":
                return Double.NEGATIVE_INFINITY;
            default:
                return Double.parseDouble(text);
        }
    }

    private static String quote(String body) {
        if (body == null || body.isEmpty()) {
            return "(empty)";
        }
        String oneLine = body.replaceAll("\\s+", " ").trim();
        return "'" + (oneLine.length() > QUOTED_BODY_CHARS ? oneLine.substring(0, QUOTED_BODY_CHARS) + "…" : oneLine)
                + "'";
    }
}
