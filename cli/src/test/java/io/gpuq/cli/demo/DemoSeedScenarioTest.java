package io.gpuq.cli.demo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code gpuq demo} on its default scenario, the seed's 16-GPU cluster, run to its end as a user runs
 * it: the files it writes and the summary it prints.
 */
class DemoSeedScenarioTest {
    private static final Pattern ROW = Pattern.compile(
            "^(team-\\S+)\\s+([\\d.]+)\\s+([\\d.]+)\\s+([\\d.]+)\\s+(\\d+)\\s+([\\d.]+)\\s+([\\d.]+)$", Pattern.MULTILINE);
    private static final Pattern EVICTION = Pattern.compile(
            "^  t=\\s*(\\d+)s  (\\S+) of (\\S+), ([\\d.]+) GPUs: Reclaimed by project (\\S+) for workload (\\S+):",
            Pattern.MULTILINE);
    private static final Pattern SHARED = Pattern.compile(
            "chat-small: chat-small-0 and chat-small-1 share one device: (\\S+) device (\\d+) \\((GPU-\\S+)\\), fractions 0\\.5 \\+ 0\\.5");

    private record Eviction(String workload, String project, double gpus, String reclaimer, String forWorkload) {
    }

    @Test
    void theSeedScenarioRunsToItsEndAndTheSummaryShowsFairSharesTheReclaimTheSharedDeviceAndCosts(@TempDir Path dir)
            throws Exception {
        int[] ports = DemoProcess.freePorts();
        String out;
        try (DemoProcess demo = DemoProcess.start(dir, "--speed", "30", "--api-port", Integer.toString(ports[0]),
                "--webhook-port", Integer.toString(ports[1]), "--metrics-port", Integer.toString(ports[2]))) {
            int code = demo.waitFor(Duration.ofMinutes(3));
            out = demo.stdout();
            assertThat(code).as("exit code; stdout:%n%s%nstderr:%n%s", out, demo.stderr()).isZero();
            assertThat(demo.stderr()).as("nothing on stderr").isEmpty();
        }

        Path kubeconfig = dir.resolve(".gpuq/demo/kubeconfig");
        Path ca = dir.resolve(".gpuq/demo/webhook-ca.crt");
        assertThat(out).contains("kubeconfig        " + kubeconfig.toRealPath())
                .contains("webhook CA        " + ca.toRealPath());
        assertThat(Files.readString(kubeconfig)).contains("server: http://127.0.0.1:" + ports[0]);
        try (InputStream in = Files.newInputStream(ca)) {
            X509Certificate caCert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            assertThat(caCert.getBasicConstraints()).as("a CA certificate").isGreaterThanOrEqualTo(0);
        }
        // Plain output (not a terminal): a table at every observeAt time of the scenario.
        assertThat(out).contains("\nt=30 s\n", "\nt=60 s\n", "\nt=120 s\n", "\nt=180 s\n", "\nt=240 s\n");

        String summary = out.substring(out.indexOf("== Summary at t="));
        assertThat(summary).contains("Fair shares: team-training 9.0, team-inference 5.0, team-research 2.0");

        // team-inference, below its deserved 4 GPUs, takes back exactly 4 from team-training for its two
        // 2-GPU workloads: the newest over-quota work, train-e and train-d.
        List<Eviction> evictions = new ArrayList<>();
        Matcher m = EVICTION.matcher(summary);
        while (m.find()) {
            evictions.add(new Eviction(m.group(2), m.group(3), Double.parseDouble(m.group(4)), m.group(5), m.group(6)));
        }
        List<Eviction> forPhaseTwo = evictions.stream()
                .filter(e -> e.forWorkload().equals("team-inference/serve-llm-0")
                        || e.forWorkload().equals("team-inference/eval-sweep-0"))
                .filter(e -> e.project().equals("team-training"))
                .toList();
        assertThat(forPhaseTwo).as("evictions for serve-llm and eval-sweep, in %s", summary).hasSizeGreaterThanOrEqualTo(2);
        assertThat(forPhaseTwo.subList(0, 2)).as("the first reclaim, in %s", summary)
                .extracting(Eviction::workload).containsExactlyInAnyOrder("train-e", "train-d");
        assertThat(forPhaseTwo.subList(0, 2).stream().mapToDouble(Eviction::gpus).sum()).isEqualTo(4.0);
        assertThat(forPhaseTwo.subList(0, 2)).allSatisfy(e -> assertThat(e.reclaimer()).isEqualTo("team-inference"));

        Matcher shared = SHARED.matcher(summary);
        assertThat(shared.find()).as("the fractional pair shares one device, in %s", summary).isTrue();
        assertThat(shared.group(3)).isEqualTo("GPU-" + shared.group(1) + "-" + shared.group(2));

        Map<String, double[]> rows = new LinkedHashMap<>();
        Matcher r = ROW.matcher(summary);
        while (r.find()) {
            rows.put(r.group(1), new double[] {Double.parseDouble(r.group(6)), Double.parseDouble(r.group(7))});
        }
        assertThat(rows).containsOnlyKeys("team-training", "team-inference", "team-research");
        rows.forEach((project, hoursAndCost) -> {
            assertThat(hoursAndCost[1]).as("cost of %s", project).isPositive();
            // Every node is a spot H100: USD 1.69 per GPU-hour (the scenario's price table).
            assertThat(hoursAndCost[1]).as("cost of %s at 1.69 per GPU-hour", project)
                    .isCloseTo(hoursAndCost[0] * 1.69, org.assertj.core.data.Offset.offset(0.0003));
        });
        assertThat(summary).contains("Cost per GPU-hour: H100 spot 1.69 USD, H100 on-demand 4.00 USD");
        assertThat(out).endsWith("gpuq demo stopped: the embedded cluster, webhook and scheduler are shut down."
                + System.lineSeparator());
    }
}
