package io.gpuq.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code gpuq chargeback} against a small stand-in for Prometheus' query API. */
class ChargebackCommandTest {

    private static final String RANGE = "[86400s]";
    /** What Prometheus answers for one day of the seed cluster: two projects, some idle GPUs. */
    private static final Map<String, String> ANSWERS = Map.of(
            "sum by (project, currency) (increase(runai_project_gpu_cost_total" + RANGE + "))",
            "{\"metric\":{\"project\":\"team-training\",\"currency\":\"USD\"},\"value\":[0,\"324.48\"]},"
                    + "{\"metric\":{\"project\":\"team-inference\",\"currency\":\"USD\"},\"value\":[0,\"81.12\"]}",
            "sum by (project) (increase(runai_allocated_gpu_seconds_total" + RANGE + "))",
            "{\"metric\":{\"project\":\"team-training\"},\"value\":[0,\"691200\"]},"
                    + "{\"metric\":{\"project\":\"team-inference\"},\"value\":[0,\"172800\"]}",
            "sum by (currency) (increase(runai_unallocated_gpu_cost_total" + RANGE + "))",
            "{\"metric\":{\"currency\":\"USD\"},\"value\":[0,\"243.36\"]}",
            "sum by (currency) (increase(runai_fleet_gpu_cost_total" + RANGE + "))",
            "{\"metric\":{\"currency\":\"USD\"},\"value\":[0,\"648.96\"]}");

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final List<String> queries = new ArrayList<>();
    private PrintStream originalOut;
    private PrintStream originalErr;
    private HttpServer prometheus;

    @BeforeEach
    void start() throws Exception {
        originalOut = System.out;
        originalErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        prometheus = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        prometheus.createContext("/api/v1/query", exchange -> {
            String query = "";
            for (String pair : exchange.getRequestURI().getRawQuery().split("&")) {
                if (pair.startsWith("query=")) {
                    query = URLDecoder.decode(pair.substring(6), StandardCharsets.UTF_8);
                }
            }
            synchronized (queries) {
                queries.add(query);
            }
            String result = ANSWERS.get(query);
            byte[] body = (result == null
                    ? "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"unexpected query\"}"
                    : "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[" + result + "]}}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(result == null ? 400 : 200, body.length);
            try (OutputStream o = exchange.getResponseBody()) {
                o.write(body);
            }
        });
        prometheus.start();
    }

    @AfterEach
    void stop() {
        prometheus.stop(0);
        System.setOut(originalOut);
        System.setErr(originalErr);
    }

    private String url() {
        return "http://127.0.0.1:" + prometheus.getAddress().getPort();
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void printsTheBillAsATable() {
        int code = Main.run("chargeback", "--prometheus-url", url(), "--from", "2025-05-01", "--to", "2025-05-02");
        assertThat(code).as(stderr()).isZero();
        assertThat(stdout()).isEqualTo("""
                GPU cost by project, 2025-05-01T00:00:00Z to 2025-05-02T00:00:00Z

                PROJECT         GPU-HOURS    COST  CURRENCY
                team-inference      48.00   81.12  USD
                team-training      192.00  324.48  USD
                (unallocated)              243.36  USD
                FLEET TOTAL                648.96  USD
                """);
        assertThat(queries).hasSize(4);
    }

    @Test
    void printsJsonAndCsvAsTheHttpEndpointDoes() throws Exception {
        assertThat(Main.run("chargeback", "--prometheus-url", url(), "--from", "2025-05-01T00:00:00Z",
                "--to", "2025-05-02T00:00:00Z", "--format", "json")).as(stderr()).isZero();
        JsonNode doc = new ObjectMapper().readTree(stdout());
        assertThat(doc.get("groupBy").asText()).isEqualTo("project");
        assertThat(doc.get("rows").get(1).get("project").asText()).isEqualTo("team-training");
        assertThat(doc.get("rows").get(1).get("cost").decimalValue()).isEqualByComparingTo("324.48");
        assertThat(doc.get("fleet").get(0).get("cost").decimalValue()).isEqualByComparingTo("648.96");

        out.reset();
        assertThat(Main.run("chargeback", "--prometheus-url", url(), "--from", "2025-05-01",
                "--to", "2025-05-02", "--format", "csv")).as(stderr()).isZero();
        assertThat(stdout()).startsWith("project,gpu_hours,cost,currency\r\nteam-inference,48.000000,81.120000,USD\r\n")
                .endsWith("(unallocated),,243.360000,USD\r\n");
    }

    @Test
    void badOptionsExitTwoSayingWhatIsAllowed() {
        assertThat(Main.run("chargeback", "--prometheus-url", url(), "--group-by", "team")).isEqualTo(2);
        assertThat(stderr()).isEqualTo("gpuq: groupBy 'team' is not supported; use one of project, department, "
                + "nodepool\n");
        err.reset();
        assertThat(Main.run("chargeback", "--prometheus-url", url(), "--from", "2025-05-02", "--to", "2025-05-01"))
                .isEqualTo(2);
        assertThat(stderr()).isEqualTo("gpuq: the range is empty: from (2025-05-02T00:00:00Z) must be before to "
                + "(2025-05-01T00:00:00Z)\n");
        err.reset();
        assertThat(Main.run("chargeback", "--prometheus-url", url(), "--format", "xml")).isEqualTo(2);
        assertThat(stderr()).isEqualTo("gpuq: format 'xml' is not supported; use one of table, json, csv\n");
        err.reset();
        assertThat(Main.run("chargeback", "--prometheus-url", "prometheus:9090")).isEqualTo(2);
        assertThat(stderr()).isEqualTo("gpuq: --prometheus-url: 'prometheus:9090' is not an http(s) URL with a host; "
                + "expected e.g. http://prometheus:9090\n");
        assertThat(queries).as("nothing is asked of Prometheus for a bad request").isEmpty();
    }

    @Test
    void anUnreachablePrometheusExitsOneSayingSo() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        assertThat(Main.run("chargeback", "--prometheus-url", "http://127.0.0.1:" + closed, "--timeout", "5"))
                .isEqualTo(1);
        assertThat(stderr()).isEqualTo("gpuq: chargeback needs Prometheus: Prometheus at http://127.0.0.1:" + closed
                + " is unreachable: connection refused\n");
        assertThat(stdout()).isEmpty();
    }
}
