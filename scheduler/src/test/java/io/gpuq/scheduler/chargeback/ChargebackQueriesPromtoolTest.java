package io.gpuq.scheduler.chargeback;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The chargeback's PromQL evaluated by Prometheus' own engine ({@code promtool test rules}) over counters
 * that reset mid-range, as a scheduler restart makes them: the amounts before the reset are kept. Runs
 * where promtool is installed (CI installs Debian's prometheus package).
 */
class ChargebackQueriesPromtoolTest {

    @Test
    void increaseOverTheRangeKeepsWhatWasCountedBeforeARestart(@TempDir Path dir) throws Exception {
        String promtool = onPath("promtool");
        assumeTrue(promtool != null, "promtool is not installed");
        ChargebackRequest hour = new ChargebackRequest(Instant.parse("2026-05-01T00:00:00Z"),
                Instant.parse("2026-05-01T01:00:00Z"), GroupBy.PROJECT);
        // One sample a minute. team-a's counters grow 1/min, restart at 0 after minute 30 and grow again:
        // 30 before the restart + 29 after. team-b's never reset: 2/min for 60 minutes.
        String test = """
                evaluation_interval: 1m
                tests:
                  - interval: 1m
                    input_series:
                      - series: 'runai_project_gpu_cost_total{project="team-a",department="ml",nodepool="default",currency="USD"}'
                        values: '0+1x30 0+1x29'
                      - series: 'runai_project_gpu_cost_total{project="team-b",department="ml",nodepool="default",currency="USD"}'
                        values: '0+2x60'
                      - series: 'runai_allocated_gpu_seconds_total{project="team-a",department="ml",nodepool="default",gpu_model="H100",capacity_type="spot"}'
                        values: '0+60x30 0+60x29'
                      - series: 'runai_fleet_gpu_cost_total{nodepool="default",gpu_model="H100",capacity_type="spot",currency="USD"}'
                        values: '0+4x30 0+4x29'
                    promql_expr_test:
                      - expr: '%s'
                        eval_time: 60m
                        exp_samples:
                          - labels: '{project="team-a",currency="USD"}'
                            value: 59
                          - labels: '{project="team-b",currency="USD"}'
                            value: 120
                      - expr: '%s'
                        eval_time: 60m
                        exp_samples:
                          - labels: '{project="team-a"}'
                            value: 3540
                      - expr: '%s'
                        eval_time: 60m
                        exp_samples:
                          - labels: '{currency="USD"}'
                            value: 236
                """.formatted(ChargebackQueries.cost(hour), ChargebackQueries.gpuSeconds(hour),
                ChargebackQueries.fleet(hour));
        Path file = dir.resolve("chargeback-test.yaml");
        Files.writeString(file, test);
        Process p = new ProcessBuilder(promtool, "test", "rules", file.toString()).redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("promtool finished").isTrue();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(output).isZero();
        assertThat(output).contains("SUCCESS");
    }

    private static String onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, program);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }
}
