package io.gpuq.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** What every alert of alerts/ carries, and that the runbook and the unit tests cover each one. */
class AlertRulesTest {

    private static final Set<String> SEVERITIES = Set.of("info", "warning", "critical");
    private static final Pattern HEADING = Pattern.compile("^## (\\S+)\\s*$", Pattern.MULTILINE);

    /** The alerts the issue asks for, by what they watch. */
    private static final List<String> REQUIRED = List.of("GpuqQueueBacklog", "GpuqJobWaitTimeHigh",
            "GpuqProjectOverBudget", "GpuqIdleAllocatedGpus", "GpuqGpuNearThermalThrottle", "GpuqWebhookHttpErrors",
            "GpuqWebhookSlow", "GpuqWebhookDenialSpike", "GpuqSchedulerCycleSlow", "GpuqSchedulerNoLeader",
            "GpuqTargetDown", "GpuqSchedulerAbsent", "GpuqWebhookAbsent");

    static List<JsonNode> alerts() {
        List<JsonNode> out = new ArrayList<>();
        for (Path file : RepoFiles.ruleFiles()) {
            Yaml.read(file).path("groups").forEach(g -> g.path("rules").forEach(r -> {
                if (r.has("alert")) {
                    out.add(r);
                }
            }));
        }
        return out;
    }

    @Test
    void everyAlertHasSeveritySummaryDescriptionRunbookAndAWait() {
        Set<String> names = new HashSet<>();
        for (JsonNode alert : alerts()) {
            String name = alert.path("alert").asText();
            assertThat(names.add(name)).as("alert %s defined once", name).isTrue();
            assertThat(name).matches("Gpuq[A-Z][A-Za-z]+");
            assertThat(SEVERITIES).as("%s severity", name).contains(alert.path("labels").path("severity").asText());
            assertThat(alert.path("annotations").path("summary").asText()).as("%s summary", name).isNotBlank();
            assertThat(alert.path("annotations").path("description").asText()).as("%s description", name).isNotBlank();
            assertThat(alert.path("annotations").path("runbook_url").asText()).as("%s runbook_url", name)
                    .isEqualTo("runbook.md#" + name.toLowerCase(Locale.ROOT));
            Duration wait = Duration.parse("PT" + alert.path("for").asText().toUpperCase(Locale.ROOT));
            assertThat(wait).as("%s for:", name).isBetween(Duration.ofMinutes(2), Duration.ofHours(2));
        }
        assertThat(names).containsAll(REQUIRED);
    }

    @Test
    void theRunbookHasASectionPerAlert() throws IOException {
        String runbook = Files.readString(RepoFiles.alerts().resolve("runbook.md"));
        Set<String> sections = new HashSet<>();
        Matcher m = HEADING.matcher(runbook);
        while (m.find()) {
            sections.add(m.group(1));
        }
        for (JsonNode alert : alerts()) {
            assertThat(sections).as("runbook.md has \"## %s\"", alert.path("alert").asText()).contains(alert.path("alert").asText());
        }
        Set<String> alertNames = new HashSet<>();
        alerts().forEach(a -> alertNames.add(a.path("alert").asText()));
        assertThat(alertNames).as("every runbook section belongs to an alert").containsAll(sections);
    }

    @Test
    void everyAlertIsTestedFiringAndSilent() {
        Set<String> fires = new HashSet<>();
        Set<String> silent = new HashSet<>();
        for (Path test : RepoFiles.list(RepoFiles.alerts().resolve("tests"), "-test.yaml")) {
            for (JsonNode t : Yaml.read(test).path("tests")) {
                for (JsonNode check : t.path("alert_rule_test")) {
                    String name = check.path("alertname").asText();
                    if (check.path("exp_alerts").size() > 0) {
                        fires.add(name);
                    } else {
                        silent.add(name);
                    }
                }
            }
        }
        for (JsonNode alert : alerts()) {
            String name = alert.path("alert").asText();
            assertThat(fires).as("a promtool test where %s fires", name).contains(name);
            assertThat(silent).as("a promtool test where %s stays silent", name).contains(name);
        }
    }
}
