package io.gpuq.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.gpuq.webhook.server.AdmissionMetrics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real Prometheus (Debian's package) loads the rule files of alerts/ and scrapes two loopback
 * endpoints: the scheduler's series of the seed scenario (e2e/scheduler-metrics.prom) and the webhook's
 * real metrics registry. Then every dashboard query returns data (DCGM panels aside), every rule
 * evaluates without error, and the queue-backlog alert is pending for the backlogged project only.
 */
class PrometheusServerTest {

    @TempDir
    static Path dir;

    private static MetricsEndpoint endpoint;
    private static PrometheusServer prometheus;
    private static String schedulerFixture;

    @BeforeAll
    static void start() throws IOException {
        // Without the binary every test is reported skipped with the reason (see requirePrometheus).
        Path binary = Promtool.find("prometheus").orElse(null);
        if (binary == null) {
            return;
        }
        schedulerFixture = schedulerFixture();
        AdmissionMetrics webhook = new AdmissionMetrics();
        Cache<String, String> cache = Caffeine.newBuilder().recordStats().maximumSize(100).build();
        cache.put("team-training", "team-training");
        cache.getIfPresent("team-training");
        cache.getIfPresent("team-unknown");
        webhook.registerCache("projects-by-namespace", cache);

        endpoint = new MetricsEndpoint();
        endpoint.serve("/scheduler/metrics", MetricsEndpoint.TEXT_FORMAT, () -> MetricsEndpoint.utf8(endpoint.scaled(schedulerFixture)));
        endpoint.serve("/webhook/metrics", webhook.contentType(), webhook::scrape);

        StringBuilder ruleFiles = new StringBuilder();
        RepoFiles.ruleFiles().forEach(p -> ruleFiles.append("  - ").append(p).append('\n'));
        String target = "127.0.0.1:" + endpoint.port();
        prometheus = new PrometheusServer(binary, dir, """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                rule_files:
                %s
                scrape_configs:
                  - job_name: gpuq-scheduler
                    metrics_path: /scheduler/metrics
                    static_configs: [{targets: ["%s"]}]
                  - job_name: gpuq-webhook
                    metrics_path: /webhook/metrics
                    static_configs: [{targets: ["%s"]}]
                """.formatted(ruleFiles.toString().stripTrailing(), target, target));
        // Rates need a few samples in their window.
        prometheus.awaitQuery("both targets have been scraped five times",
                "min(count_over_time(up[1m])) >= 5 and count(up == 1) == 2", r -> result(r).size() == 1);
    }

    @BeforeEach
    void requirePrometheus() {
        Assumptions.assumeTrue(prometheus != null, () -> Promtool.missing("prometheus"));
    }

    @AfterAll
    static void stop() {
        if (prometheus != null) {
            prometheus.close();
        }
        if (endpoint != null) {
            endpoint.close();
        }
    }

    @Test
    void everyDashboardQueryReturnsData() {
        List<String> failures = dashboardQueryFailures(prometheus);
        assertThat(failures).as("queries that failed or returned nothing").isEmpty();
    }

    /** Every dashboard panel query, run against {@code prometheus}: the ones that fail or return nothing. */
    static List<String> dashboardQueryFailures(PrometheusServer prometheus) {
        List<String> failures = new ArrayList<>();
        int checked = 0;
        for (Path file : RepoFiles.dashboards()) {
            for (JsonNode panel : Yaml.read(file).path("panels")) {
                boolean optional = panel.path("title").asText().contains("(DCGM)");
                for (JsonNode target : panel.path("targets")) {
                    String expr = substitute(target.path("expr").asText());
                    JsonNode answer = prometheus.query(expr);
                    String where = file.getFileName() + " \"" + panel.path("title").asText() + "\" " + expr;
                    if (!"success".equals(answer.path("status").asText())) {
                        failures.add(where + " -> " + answer);
                    } else if (!optional && result(answer).isEmpty()) {
                        failures.add(where + " -> no data");
                    }
                    checked++;
                }
            }
        }
        assertThat(checked).isGreaterThan(50);
        return failures;
    }

    @Test
    void everyVariableHasValues() {
        for (Path file : RepoFiles.dashboards()) {
            for (JsonNode v : Yaml.read(file).path("templating").path("list")) {
                if (!v.path("type").asText().equals("query")) {
                    continue;
                }
                Matcher m = Pattern.compile("label_values\\((.*),\\s*([A-Za-z_]+)\\)").matcher(v.path("definition").asText());
                assertThat(m.matches()).as(v.path("definition").asText()).isTrue();
                JsonNode values = prometheus.api("/api/v1/label/" + m.group(2) + "/values?match[]="
                        + URLEncoder.encode(substitute(m.group(1)), StandardCharsets.UTF_8));
                assertThat(values.path("data")).as("%s variable %s", file.getFileName(), v.path("name").asText()).isNotEmpty();
            }
        }
    }

    @Test
    void everyRuleEvaluatesWithoutError() {
        JsonNode groups = prometheus.awaitQueryRules();
        Set<String> alerts = new HashSet<>();
        for (JsonNode group : groups) {
            for (JsonNode rule : group.path("rules")) {
                assertThat(rule.path("health").asText()).as("%s: %s", rule.path("name").asText(), rule.path("lastError").asText())
                        .isEqualTo("ok");
                if (rule.path("type").asText().equals("alerting")) {
                    alerts.add(rule.path("name").asText());
                }
            }
        }
        Set<String> expected = new HashSet<>();
        AlertRulesTest.alerts().forEach(a -> expected.add(a.path("alert").asText()));
        assertThat(alerts).isEqualTo(expected);
    }

    @Test
    void queueBacklogAlertIsPendingForTheBackloggedProjectOnly() {
        JsonNode answer = prometheus.awaitQuery("GpuqQueueBacklog is pending", "ALERTS{alertname=\"GpuqQueueBacklog\"}",
                r -> !result(r).isEmpty());
        List<JsonNode> series = result(answer);
        assertThat(series).hasSize(1);
        JsonNode labels = series.get(0).path("metric");
        assertThat(labels.path("project").asText()).isEqualTo("team-training");
        // The rule's for: is 15 minutes, so within this test it is pending, not firing.
        assertThat(labels.path("alertstate").asText()).isEqualTo("pending");
        assertThat(labels.path("severity").asText()).isEqualTo("warning");
        // The quiet projects (0 and 1 pending, threshold 5) have no backlog alert, and a healthy scheduler
        // and webhook raise nothing.
        assertThat(result(prometheus.query("ALERTS{alertname=\"GpuqQueueBacklog\", project!=\"team-training\"}"))).isEmpty();
        assertThat(result(prometheus.query("ALERTS{alertname=~\"GpuqSchedulerNoLeader|GpuqSchedulerAbsent|GpuqWebhookAbsent|GpuqTargetDown\"}")))
                .isEmpty();
    }

    @Test
    void theFixturesOtherConditionsRaiseExactlyTheirAlerts() {
        // team-research holds 2 GPUs at 5% utilization; the jobs of team-research and of the backlogged
        // team-training waited 30-60 minutes; team-inference is healthy.
        prometheus.awaitQuery("four alerts are pending", "count(ALERTS{alertstate=\"pending\"}) == 4",
                r -> !result(r).isEmpty());
        Set<String> pending = new TreeSet<>();
        result(prometheus.query("ALERTS")).forEach(s -> pending.add(s.path("metric").path("alertname").asText() + "/"
                + s.path("metric").path("project").asText() + "/" + s.path("metric").path("alertstate").asText()));
        assertThat(pending).containsExactly("GpuqIdleAllocatedGpus/team-research/pending",
                "GpuqJobWaitTimeHigh/team-research/pending", "GpuqJobWaitTimeHigh/team-training/pending",
                "GpuqQueueBacklog/team-training/pending");
    }

    /** The scheduler's series of the seed scenario, per-second values for counters (see the file). */
    static String schedulerFixture() throws IOException {
        try (InputStream in = PrometheusServerTest.class.getResourceAsStream("/e2e/scheduler-metrics.prom")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Grafana's variables as a dashboard showing "All" over the last minutes would send them. */
    static String substitute(String expr) {
        return expr.replace("$__rate_interval", "5s").replace("$__range", "1m").replace("$__interval", "1s")
                .replace("$project", ".*").replace("$department", ".*").replace("$nodepool", ".*");
    }

    static List<JsonNode> result(JsonNode answer) {
        List<JsonNode> out = new ArrayList<>();
        answer.path("data").path("result").forEach(out::add);
        return out;
    }
}
