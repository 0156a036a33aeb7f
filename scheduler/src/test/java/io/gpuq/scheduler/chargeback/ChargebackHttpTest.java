package io.gpuq.scheduler.chargeback;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.gpuq.scheduler.metrics.query.PrometheusClient;
import io.gpuq.scheduler.metrics.testing.MetricsEndpoint;
import io.gpuq.scheduler.metrics.testing.MutableClock;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code GET /api/v1/chargeback} on the scheduler's HTTP port, with WireMock standing in for Prometheus. */
class ChargebackHttpTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant FROM = Instant.parse("2026-05-01T00:00:00Z");
    private static final Instant TO = Instant.parse("2026-05-02T00:00:00Z");
    private static final String TIME = TO.getEpochSecond() + ".000";

    private static final WireMockServer prometheus = new WireMockServer(options().dynamicPort());
    private final MutableClock clock = new MutableClock(Instant.parse("2026-05-03T12:00:00Z"));
    private MetricsEndpoint endpoint;

    @BeforeAll
    static void startPrometheus() {
        prometheus.start();
    }

    @AfterAll
    static void stopPrometheus() {
        prometheus.stop();
    }

    @BeforeEach
    void start() {
        prometheus.resetAll();
        endpoint = endpointFor(URI.create(prometheus.baseUrl()), Duration.ofSeconds(10));
    }

    @AfterEach
    void stop() throws Exception {
        endpoint.close();
    }

    private MetricsEndpoint endpointFor(URI prometheusUrl, Duration timeout) {
        ChargebackService service = new ChargebackService(new PrometheusClient(prometheusUrl, timeout), clock);
        return new MetricsEndpoint(new PrometheusRegistry(), () -> true, service);
    }

    private void vector(String query, String result) {
        prometheus.stubFor(get(urlPathEqualTo("/api/v1/query"))
                .withQueryParam("query", equalTo(query))
                .withQueryParam("time", equalTo(TIME))
                .willReturn(okJson("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[" + result
                        + "]}}")));
    }

    private static String sample(String labels, String value) {
        return "{\"metric\":{" + labels + "},\"value\":[" + TIME + ",\"" + value + "\"]}";
    }

    /**
     * A day in which team-training's counters restarted at noon (a scheduler restart): Prometheus'
     * increase() adds the pre-restart amount, and these are its answers.
     */
    private void aDayOfCost() {
        vector("sum by (project, currency) (increase(runai_project_gpu_cost_total[86400s]))",
                sample("\"project\":\"team-training\",\"currency\":\"USD\"", "324.48") + ","
                        + sample("\"project\":\"team-inference\",\"currency\":\"USD\"", "81.12000000000001"));
        vector("sum by (project) (increase(runai_allocated_gpu_seconds_total[86400s]))",
                sample("\"project\":\"team-training\"", "691200") + ","
                        + sample("\"project\":\"team-inference\"", "172800"));
        vector("sum by (currency) (increase(runai_unallocated_gpu_cost_total[86400s]))",
                sample("\"currency\":\"USD\"", "10"));
        vector("sum by (currency) (increase(runai_fleet_gpu_cost_total[86400s]))",
                sample("\"currency\":\"USD\"", "415.6"));
    }

    private HttpResponse<String> ask(String query) throws Exception {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(HttpRequest.newBuilder(endpoint.uri("/api/v1/chargeback?" + query))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String q(String v) {
        return URLEncoder.encode(v, StandardCharsets.UTF_8);
    }

    private static String range() {
        return "from=" + q(FROM.toString()) + "&to=" + q(TO.toString());
    }

    @Test
    void jsonByProjectFromIncreaseOverTheRange() throws Exception {
        aDayOfCost();
        HttpResponse<String> r = ask(range() + "&groupBy=project&format=json");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
        JsonNode doc = JSON.readTree(r.body());
        assertThat(doc.get("from").asText()).isEqualTo("2026-05-01T00:00:00Z");
        assertThat(doc.get("to").asText()).isEqualTo("2026-05-02T00:00:00Z");
        assertThat(doc.get("groupBy").asText()).isEqualTo("project");
        assertThat(doc.get("rows")).hasSize(2);
        JsonNode inference = doc.get("rows").get(0);
        assertThat(inference.get("project").asText()).isEqualTo("team-inference");
        assertThat(inference.get("gpuHours").decimalValue()).isEqualByComparingTo("48");
        assertThat(inference.get("cost").decimalValue()).as("rounded to 6 decimals").isEqualByComparingTo("81.12");
        assertThat(inference.get("currency").asText()).isEqualTo("USD");
        JsonNode training = doc.get("rows").get(1);
        assertThat(training.get("project").asText()).isEqualTo("team-training");
        assertThat(training.get("gpuHours").decimalValue()).isEqualByComparingTo("192");
        assertThat(training.get("cost").decimalValue()).isEqualByComparingTo("324.48");
        assertThat(doc.get("unallocated").get(0).get("cost").decimalValue()).isEqualByComparingTo("10");
        assertThat(doc.get("fleet").get(0).get("cost").decimalValue()).isEqualByComparingTo("415.6");
        prometheus.verify(exactly(4), getRequestedFor(urlPathEqualTo("/api/v1/query")).withQueryParam("time",
                equalTo(TIME)));

        assertThat(ask(range() + "&groupBy=project").statusCode()).as("json is the default; answered from cache")
                .isEqualTo(200);
        prometheus.verify(exactly(4), getRequestedFor(urlPathEqualTo("/api/v1/query")));
    }

    @Test
    void csvAddsUpToTheFleet() throws Exception {
        aDayOfCost();
        HttpResponse<String> r = ask(range() + "&format=csv");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("text/csv; charset=utf-8");
        assertThat(r.headers().firstValue("content-disposition")).hasValue("attachment; filename=\"chargeback-project.csv\"");
        assertThat(r.body()).isEqualTo("""
                project,gpu_hours,cost,currency\r
                team-inference,48.000000,81.120000,USD\r
                team-training,192.000000,324.480000,USD\r
                (unallocated),,10.000000,USD\r
                """);
    }

    @Test
    void byDepartmentAndByNodePool() throws Exception {
        vector("sum by (department, currency) (increase(runai_project_gpu_cost_total[86400s]))",
                sample("\"department\":\"ml\",\"currency\":\"USD\"", "12.5"));
        vector("sum by (department) (increase(runai_allocated_gpu_seconds_total[86400s]))",
                sample("\"department\":\"ml\"", "3600"));
        vector("sum by (nodepool, currency) (increase(runai_project_gpu_cost_total[86400s]))",
                sample("\"nodepool\":\"inference-pool\",\"currency\":\"EUR\"", "7"));
        vector("sum by (nodepool) (increase(runai_allocated_gpu_seconds_total[86400s]))",
                sample("\"nodepool\":\"inference-pool\"", "7200"));
        vector("sum by (currency) (increase(runai_unallocated_gpu_cost_total[86400s]))", "");
        vector("sum by (currency) (increase(runai_fleet_gpu_cost_total[86400s]))", "");

        JsonNode dept = JSON.readTree(ask(range() + "&groupBy=department").body());
        assertThat(dept.get("rows").get(0).get("department").asText()).isEqualTo("ml");
        assertThat(dept.get("rows").get(0).get("gpuHours").decimalValue()).isEqualByComparingTo("1");
        assertThat(dept.get("rows").get(0).get("cost").decimalValue()).isEqualByComparingTo("12.5");
        assertThat(dept.get("fleet")).isEmpty();
        HttpResponse<String> pool = ask(range() + "&groupBy=nodepool&format=csv");
        assertThat(pool.body()).isEqualTo("nodepool,gpu_hours,cost,currency\r\ninference-pool,2.000000,7.000000,EUR\r\n");
    }

    @Test
    void badRequestsAreAnsweredWith400SayingWhatIsAllowed() throws Exception {
        assertError(ask("from=" + q(TO.toString()) + "&to=" + q(FROM.toString())), 400,
                "the range is empty: from (2026-05-02T00:00:00Z) must be before to (2026-05-01T00:00:00Z)");
        assertError(ask(range() + "&groupBy=team"), 400,
                "groupBy 'team' is not supported; use one of project, department, nodepool");
        assertError(ask(range() + "&format=xml"), 400, "format 'xml' is not supported; use one of json, csv");
        assertError(ask("to=now"), 400, "from is required: an RFC 3339 time (2026-05-01T00:00:00Z), a date "
                + "(2026-05-01, midnight UTC), unix seconds, now, or now-<n><s|m|h|d|w> (now-7d)");
        assertError(ask("from=yesterday&to=now"), 400, "from 'yesterday' is not a time; use an RFC 3339 time "
                + "(2026-05-01T00:00:00Z), a date (2026-05-01, midnight UTC), unix seconds, now, or "
                + "now-<n><s|m|h|d|w> (now-7d)");
        assertError(ask(range() + "&grupBy=project"), 400, "unknown parameter 'grupBy'; allowed: from, to, groupBy "
                + "(project|department|nodepool), format (json|csv)");
        assertError(ask("from=now-1d&to=2026-06-01"), 400,
                "to (2026-06-01T00:00:00Z) is in the future (now is 2026-05-03T12:00:00Z); cost is known only up to now");
        prometheus.verify(exactly(0), getRequestedFor(urlPathEqualTo("/api/v1/query")));
    }

    @Test
    void relativeAndUnixTimesAreAccepted() throws Exception {
        aDayOfCost();
        HttpResponse<String> r = ask("from=" + FROM.getEpochSecond() + "&to=2026-05-02");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(JSON.readTree(r.body()).get("rows")).hasSize(2);
        clock.set(TO.plus(Duration.ofDays(1)));
        r = ask("from=now-2d&to=now-1d");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(JSON.readTree(r.body()).get("from").asText()).isEqualTo("2026-05-01T00:00:00Z");
    }

    @Test
    void prometheusFailuresAreAnswered5xxWithTheCause() throws Exception {
        prometheus.stubFor(get(urlPathEqualTo("/api/v1/query")).willReturn(aResponse().withStatus(422)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"status\":\"error\",\"errorType\":\"execution\",\"error\":\"query processing would load "
                        + "too many samples into memory\"}")));
        assertError(ask(range()), 502, "chargeback needs Prometheus: Prometheus at " + prometheus.baseUrl()
                + " answered HTTP 422 (execution): query processing would load too many samples into memory");

        prometheus.resetAll();
        prometheus.stubFor(get(urlPathEqualTo("/api/v1/query")).willReturn(okJson("{}").withFixedDelay(2000)));
        try (MetricsEndpoint impatient = endpointFor(URI.create(prometheus.baseUrl()), Duration.ofSeconds(1))) {
            HttpResponse<String> r = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(HttpRequest.newBuilder(
                    impatient.uri("/api/v1/chargeback?" + range())).build(), HttpResponse.BodyHandlers.ofString());
            assertError(r, 504, "chargeback needs Prometheus: Prometheus at " + prometheus.baseUrl()
                    + " did not answer within 1 s");
        }

        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        try (MetricsEndpoint unreachable = endpointFor(URI.create("http://127.0.0.1:" + closed), Duration.ofSeconds(2))) {
            HttpResponse<String> r = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(HttpRequest.newBuilder(
                    unreachable.uri("/api/v1/chargeback?" + range())).build(), HttpResponse.BodyHandlers.ofString());
            assertError(r, 502, "chargeback needs Prometheus: Prometheus at http://127.0.0.1:" + closed
                    + " is unreachable: connection refused");
        }
        try (MetricsEndpoint none = new MetricsEndpoint(new PrometheusRegistry())) {
            HttpResponse<String> r = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(HttpRequest.newBuilder(
                    none.uri("/api/v1/chargeback?" + range())).build(), HttpResponse.BodyHandlers.ofString());
            assertError(r, 503, "chargeback is not configured: the scheduler was started without a Prometheus URL");
        }
    }

    private static void assertError(HttpResponse<String> r, int status, String message) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
        JsonNode doc = JSON.readTree(r.body());
        assertThat(doc.get("status").asInt()).isEqualTo(status);
        assertThat(doc.get("error").asText()).isEqualTo(message);
    }
}
