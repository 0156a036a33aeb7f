package io.gpuq.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** Dashboards and alerts read only series that gpuq, Prometheus, the rules themselves or DCGM produce. */
class MetricNamesTest {

    private static final java.util.regex.Pattern JOB_MATCHER = java.util.regex.Pattern.compile("\\bjob\\s*(=|!=|=~|!~)");

    @Test
    void webhookNamesComeFromItsRegistry() {
        assertThat(ExportedMetrics.webhookSeries()).contains("runai_admission_requests_total",
                "runai_admission_duration_seconds_bucket", "runai_admission_rejected_requests_total",
                "runai_admission_open_connections", "caffeine_cache_hit_total", "caffeine_cache_requests_total");
    }

    @Test
    void dashboardsReadOnlyExportedSeries() {
        Set<String> known = known();
        for (Path file : RepoFiles.dashboards()) {
            JsonNode d = Yaml.read(file);
            for (JsonNode panel : d.path("panels")) {
                for (JsonNode target : panel.path("targets")) {
                    String expr = target.path("expr").asText();
                    assertThat(PromQl.metricNames(expr)).as("%s \"%s\": %s", file.getFileName(),
                            panel.path("title").asText(), expr).isNotEmpty().isSubsetOf(known);
                }
            }
            for (JsonNode v : d.path("templating").path("list")) {
                if (v.path("type").asText().equals("query")) {
                    String metric = v.path("definition").asText().replaceFirst("^label_values\\(([A-Za-z_:][A-Za-z0-9_:]*).*", "$1");
                    assertThat(known).as("%s variable %s", file.getFileName(), v.path("name").asText()).contains(metric);
                }
            }
        }
    }

    @Test
    void alertsReadOnlyExportedSeries() {
        Set<String> known = known();
        for (Path file : RepoFiles.ruleFiles()) {
            for (JsonNode group : Yaml.read(file).path("groups")) {
                for (JsonNode rule : group.path("rules")) {
                    String expr = rule.path("expr").asText();
                    assertThat(PromQl.metricNames(expr)).as("%s %s", file.getFileName(), expr).isSubsetOf(known);
                    boolean dcgm = PromQl.metricNames(expr).stream().anyMatch(ExportedMetrics.DCGM::contains);
                    if (dcgm) {
                        assertThat(rule.path("annotations").path("description").asText()).contains("DCGM");
                    }
                }
            }
        }
    }

    @Test
    void onlyTargetAlertsSelectByJob() {
        for (Path file : RepoFiles.ruleFiles()) {
            for (JsonNode group : Yaml.read(file).path("groups")) {
                for (JsonNode rule : group.path("rules")) {
                    String expr = rule.path("expr").asText();
                    if (JOB_MATCHER.matcher(expr).find()) {
                        assertThat(PromQl.metricNames(expr)).as(expr).containsExactly("up");
                        assertThat(expr).contains("job=~\".*gpuq.*");
                    }
                }
            }
        }
        for (Path file : RepoFiles.dashboards()) {
            Yaml.read(file).path("panels").forEach(p -> p.path("targets").forEach(t ->
                    assertThat(JOB_MATCHER.matcher(t.path("expr").asText()).find())
                            .as("%s selects by metric name, not job: %s", file.getFileName(), t.path("expr").asText()).isFalse()));
        }
    }

    /** The scheduler endpoint of PrometheusServerTest serves the whole contract, with the right types. */
    @Test
    void theSchedulerFixtureHoldsEveryFamilyOfTheContract() throws java.io.IOException {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^# TYPE (\\S+) (\\S+)$", java.util.regex.Pattern.MULTILINE)
                .matcher(PrometheusServerTest.schedulerFixture());
        Set<String> families = new TreeSet<>();
        while (m.find()) {
            families.add(m.group(1));
            assertThat(m.group(2)).as(m.group(1)).isEqualTo(ExportedMetrics.SCHEDULER.get(m.group(1)));
        }
        assertThat(families).isEqualTo(ExportedMetrics.SCHEDULER.keySet());
    }

    /** Exported series, DCGM's, Prometheus' and the recording rules of alerts/. */
    private static Set<String> known() {
        Set<String> known = new TreeSet<>(ExportedMetrics.gpuqSeries());
        known.addAll(ExportedMetrics.DCGM);
        known.addAll(ExportedMetrics.PROMETHEUS);
        for (Path file : RepoFiles.ruleFiles()) {
            Yaml.read(file).path("groups").forEach(g -> g.path("rules").forEach(r -> {
                if (r.has("record")) {
                    known.add(r.path("record").asText());
                }
            }));
        }
        // Per-project thresholds are recorded by the chart from its values (see gpuq-thresholds.yaml).
        known.add("gpuq:queue_backlog_threshold:project");
        known.add("gpuq:project_budget_per_hour:project");
        return known;
    }
}
