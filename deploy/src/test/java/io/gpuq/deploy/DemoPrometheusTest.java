package io.gpuq.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * End to end: {@code gpuq demo --forever} (the built jar, as a user runs it) on a scenario with one
 * backlogged and one quiet project, scraped by a real Prometheus with the project's rule files. Every
 * dashboard query returns data (DCGM panels aside) and the queue-backlog alert fires for the
 * backlogged project only.
 */
class DemoPrometheusTest {
    private static final Pattern WEBHOOK_METRICS = Pattern.compile("its metrics: http://127\\.0\\.0\\.1:(\\d+)/metrics");
    private static final String SCENARIO = """
            cycleSeconds: 1
            nodes:
              - {name: h100, count: 1, gpus: 8, gpuModel: H100, gpuMemoryMiB: 81920, capacityType: spot}
            projects:
              - {name: team-busy, deservedGpus: 4, overQuotaWeight: 1}
              - {name: team-quiet, deservedGpus: 4, overQuotaWeight: 1}
            prices:
              - {gpuModel: H100, capacityType: spot, perGpuHour: 1.69}
            workloads:
              - {name: batch-1, project: team-busy, type: train, submitAt: 0, gpusPerPod: 4}
              - {name: batch-2, project: team-busy, type: train, submitAt: 0, gpusPerPod: 4}
              - {name: batch-3, project: team-busy, type: train, submitAt: 0, gpusPerPod: 4}
              - {name: batch-4, project: team-busy, type: train, submitAt: 0, gpusPerPod: 4}
              - {name: batch-5, project: team-busy, type: train, submitAt: 0, gpusPerPod: 4}
              - {name: batch-6, project: team-busy, type: train, submitAt: 0, gpusPerPod: 4}
              - {name: batch-7, project: team-busy, type: train, submitAt: 0, gpusPerPod: 4}
              - {name: batch-8, project: team-busy, type: train, submitAt: 0, gpusPerPod: 4}
              - {name: half, project: team-quiet, type: inference, submitAt: 0, gpuFraction: 0.5}
              - {name: one, project: team-quiet, type: train, submitAt: 0, gpusPerPod: 1, durationSeconds: 30}
            observeAt: [60]
            """;

    @TempDir
    static Path dir;

    private static Process demo;
    private static PrometheusServer prometheus;

    @BeforeAll
    static void start() throws Exception {
        Path binary = Promtool.find("prometheus").orElse(null);
        Path jar = RepoFiles.root().resolve("cli/target/gpuq.jar");
        if (binary == null || !Files.isRegularFile(jar)) {
            return;
        }
        Path scenario = Files.writeString(dir.resolve("backlog.yaml"), SCENARIO);
        int api = freePort();
        int webhook = freePort();
        int metrics = freePort();
        demo = new ProcessBuilder(List.of(javaBinary(), "-Xmx512m", "-jar", jar.toString(), "demo", "--scenario",
                scenario.toString(), "--speed", "20", "--forever", "--api-port", Integer.toString(api),
                "--webhook-port", Integer.toString(webhook), "--metrics-port", Integer.toString(metrics)))
                .directory(dir.toFile()).redirectErrorStream(true).start();
        CompletableFuture<Integer> webhookMetrics = new CompletableFuture<>();
        Path demoLog = dir.resolve("demo.log");
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(demo.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    Files.writeString(demoLog, line + "\n", StandardCharsets.UTF_8,
                            java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
                    Matcher m = WEBHOOK_METRICS.matcher(line);
                    if (m.find()) {
                        webhookMetrics.complete(Integer.parseInt(m.group(1)));
                    }
                }
            } catch (IOException e) {
                webhookMetrics.completeExceptionally(e);
            }
        }, "demo-output");
        reader.setDaemon(true);
        reader.start();
        int webhookPort = webhookMetrics.get(120, TimeUnit.SECONDS);
        awaitReady(URI.create("http://127.0.0.1:" + metrics + "/readyz"));

        // The project's rule files, except that the backlog alert waits 5 s instead of 15 min before it
        // fires, so the test sees it fire; promtool's unit tests cover the real for: duration.
        StringBuilder ruleFiles = new StringBuilder();
        for (Path p : RepoFiles.ruleFiles()) {
            String text = Files.readString(p);
            if (p.getFileName().toString().equals("gpuq-alerts.yaml")) {
                String backlog = "- alert: GpuqQueueBacklog";
                int at = text.indexOf(backlog);
                int forAt = text.indexOf("for: 15m", at);
                if (at < 0 || forAt < 0) {
                    throw new IllegalStateException("GpuqQueueBacklog with for: 15m not found in " + p);
                }
                text = text.substring(0, forAt) + "for: 5s" + text.substring(forAt + "for: 15m".length());
            }
            Path copy = Files.writeString(dir.resolve(p.getFileName()), text);
            ruleFiles.append("  - ").append(copy).append('\n');
        }
        prometheus = new PrometheusServer(binary, dir, """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                rule_files:
                %s
                scrape_configs:
                  - job_name: gpuq-scheduler
                    static_configs: [{targets: ["127.0.0.1:%d"]}]
                  - job_name: gpuq-webhook
                    static_configs: [{targets: ["127.0.0.1:%d"]}]
                """.formatted(ruleFiles.toString().stripTrailing(), metrics, webhookPort));
        prometheus.awaitQuery("both demo targets scraped five times",
                "min(count_over_time(up[1m])) >= 5 and count(up == 1) == 2",
                r -> PrometheusServerTest.result(r).size() == 1);
    }

    @BeforeEach
    void require() {
        Assumptions.assumeTrue(prometheus != null,
                () -> "needs Debian's prometheus and cli/target/gpuq.jar (run the whole build): "
                        + Promtool.missing("prometheus"));
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (prometheus != null) {
            prometheus.close();
        }
        if (demo != null) {
            demo.destroy();
            if (!demo.waitFor(20, TimeUnit.SECONDS)) {
                demo.destroyForcibly();
            }
        }
    }

    @Test
    void everyDashboardQueryReturnsDataFromTheDemo() {
        assertThat(PrometheusServerTest.dashboardQueryFailures(prometheus))
                .as("dashboard queries that failed or returned nothing against gpuq demo").isEmpty();
    }

    @Test
    void theQueueBacklogAlertFiresForTheBackloggedProjectOnly() {
        JsonNode answer = prometheus.awaitQuery("GpuqQueueBacklog firing",
                "ALERTS{alertname=\"GpuqQueueBacklog\", alertstate=\"firing\"}",
                r -> !PrometheusServerTest.result(r).isEmpty());
        List<String> projects = new ArrayList<>();
        PrometheusServerTest.result(answer).forEach(s -> projects.add(s.path("metric").path("project").asText()));
        assertThat(projects).containsExactly("team-busy");
        assertThat(PrometheusServerTest.result(prometheus.query(
                "ALERTS{alertname=\"GpuqQueueBacklog\", project=\"team-quiet\"}"))).isEmpty();
    }

    private static void awaitReady(URI readyz) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (http.send(HttpRequest.newBuilder(readyz).build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("gpuq demo did not become ready; its output is in " + dir.resolve("demo.log"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
