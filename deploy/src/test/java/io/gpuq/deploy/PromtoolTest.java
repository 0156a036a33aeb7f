package io.gpuq.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code promtool check rules} and {@code promtool test rules} on alerts/ and on what the chart renders. */
class PromtoolTest {

    @Test
    void ruleFilesPassCheckRules() {
        List<String> args = new ArrayList<>(List.of("check", "rules"));
        RepoFiles.ruleFiles().forEach(p -> args.add(p.toString()));
        args.add(RepoFiles.alerts().resolve("tests/project-thresholds.yaml").toString());
        Promtool.Result r = Promtool.run(RepoFiles.alerts(), "promtool", args.toArray(String[]::new));
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).contains("SUCCESS").doesNotContain("FAILED");
    }

    @Test
    void unitTestsOfEveryAlertPass() {
        List<String> args = new ArrayList<>(List.of("test", "rules"));
        List<Path> tests = RepoFiles.list(RepoFiles.alerts().resolve("tests"), "-test.yaml");
        assertThat(tests).hasSizeGreaterThanOrEqualTo(2);
        tests.forEach(p -> args.add(p.toString()));
        Promtool.Result r = Promtool.run(RepoFiles.alerts().resolve("tests"), "promtool", args.toArray(String[]::new));
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).doesNotContain("FAILED");
    }

    /**
     * The chart's PrometheusRule, its thresholds group built from values, checked and run through the
     * same unit tests as the files: gpuq-alerts-test.yaml with the default values, and
     * project-thresholds-test.yaml with values that set the per-project thresholds its rule file records.
     */
    @Test
    void theChartsRulesPassTheSameUnitTests(@TempDir Path dir) throws Exception {
        Map<String, String> valuesByTest = Map.of(
                "gpuq-alerts-test.yaml", "prometheusRule: {enabled: true}",
                "project-thresholds-test.yaml", """
                        prometheusRule:
                          enabled: true
                          thresholds:
                            queueBacklog: {default: 5, projects: {team-training: 10}}
                            budgetPerHour: {projects: {team-training: 20, team-research: 20}}
                        """);
        List<Path> tests = RepoFiles.list(RepoFiles.alerts().resolve("tests"), "-test.yaml");
        assertThat(tests.stream().map(p -> p.getFileName().toString())).containsExactlyInAnyOrderElementsOf(valuesByTest.keySet());
        for (Path test : tests) {
            JsonNode groups = Chart.render(valuesByTest.get(test.getFileName().toString()))
                    .one("PrometheusRule", "gpuq").path("spec").path("groups");
            Path rules = dir.resolve("chart-rules-" + test.getFileName());
            Yaml.write(rules, Map.of("groups", groups));
            Promtool.Result check = Promtool.run(dir, "promtool", "check", "rules", rules.toString());
            assertThat(check.exitCode()).as(check.output()).isZero();

            ObjectNode doc = (ObjectNode) Yaml.read(test);
            doc.putArray("rule_files").add(rules.toString());
            Path copy = dir.resolve(test.getFileName());
            Files.writeString(copy, Yaml.write(doc));
            Promtool.Result r = Promtool.run(dir, "promtool", "test", "rules", copy.toString());
            assertThat(r.exitCode()).as("%s against the chart's rules: %s", test.getFileName(), r.output()).isZero();
        }
    }
}
