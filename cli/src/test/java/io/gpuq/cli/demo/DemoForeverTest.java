package io.gpuq.cli.demo;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.gpuq.api.Annotations;
import io.gpuq.api.Labels;
import io.gpuq.api.Names;
import io.gpuq.api.crd.RunaiJob;
import io.gpuq.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code gpuq demo --forever} as something to poke: a RunaiJob applied with its kubeconfig runs
 * through the webhook and the scheduler, the webhook's certificate is good for localhost and
 * 127.0.0.1, a second demo on the same ports is refused in one line, and SIGTERM stops it cleanly.
 */
class DemoForeverTest {
    /** Four free 8-GPU nodes: what the seed's FSDP job needs. */
    private static final String SCENARIO = """
            nodes:
              - {name: h100, count: 4, gpus: 8, gpuModel: H100, gpuMemoryMiB: 81920, capacityType: on-demand}
            projects:
              - {name: team-training, deservedGpus: 32}
            prices:
              - {gpuModel: H100, capacityType: on-demand, perGpuHour: 4.00}
            workloads: []
            observeAt: [0]
            """;

    @Test
    void aRunaiJobAppliedWithTheKubeconfigIsAdmittedMutatedAndRunsAndTheDemoStopsCleanly(@TempDir Path dir)
            throws Exception {
        Files.writeString(dir.resolve("four-nodes.yaml"), SCENARIO);
        int[] ports = DemoProcess.freePorts();
        try (DemoProcess demo = DemoProcess.start(dir, "--forever", "--speed", "60", "--scenario", "four-nodes.yaml",
                "--api-port", Integer.toString(ports[0]), "--webhook-port", Integer.toString(ports[1]),
                "--metrics-port", Integer.toString(ports[2]))) {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            URI metrics = URI.create("http://127.0.0.1:" + ports[2]);
            await("the demo serves after its replay", demo, () -> demo.stdout().contains("Still serving (--forever)"));
            assertThat(status(http, metrics.resolve("/readyz"))).isEqualTo(200);

            Config config = Config.fromKubeconfig(Files.readString(dir.resolve(".gpuq/demo/kubeconfig")));
            try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
                try (InputStream in = Files.newInputStream(Path.of("..", "examples", "manifests", "fsdp-training.yaml"))) {
                    client.resources(RunaiJob.class).load(in).create();
                }
                Supplier<List<Pod>> ranks = () -> client.pods().inNamespace("team-training")
                        .withLabel(Labels.JOB_NAME, "fsdp-training").list().getItems();
                await("four ranks running", demo, () -> ranks.get().size() == 4 && ranks.get().stream()
                        .allMatch(p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase())));
                for (Pod p : ranks.get()) {
                    // Mutated by the webhook on the way in, bound by the scheduler with its devices.
                    assertThat(p.getSpec().getSchedulerName()).isEqualTo(Names.SCHEDULER_NAME);
                    assertThat(p.getMetadata().getLabels()).containsEntry(Labels.QUEUE, "team-training")
                            .containsEntry(Labels.PREEMPTIBLE, "true");
                    assertThat(p.getSpec().getPriorityClassName()).isEqualTo("train");
                    assertThat(p.getMetadata().getAnnotations()).containsEntry(Annotations.GPU_DEVICES, "0,1,2,3,4,5,6,7");
                }
                assertThat(ranks.get().stream().map(p -> p.getSpec().getNodeName()).collect(Collectors.toSet()))
                        .as("one rank per node").hasSize(4);
                await("the allocation in the metrics", demo, () -> body(http, metrics.resolve("/metrics")).contains(
                        "runai_allocated_gpus{department=\"default\",nodepool=\"default\",project=\"team-training\"} 32.0"));

                // The API server's admission: a denial from the validating webhook reaches the client.
                Pod invalid = new PodBuilder().withNewMetadata().withName("too-much").withNamespace("team-training")
                        .addToAnnotations(Annotations.GPU_FRACTION, "1.5").endMetadata()
                        .withNewSpec().addNewContainer().withName("c").withImage("img").endContainer().endSpec().build();
                assertThatThrownBy(() -> client.pods().inNamespace("team-training").resource(invalid).create())
                        .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                            assertThat(e.getCode()).isGreaterThanOrEqualTo(400).isLessThan(500);
                            assertThat(e.getStatus().getMessage())
                                    .matches("(?s)admission webhook \"(mutate|validate)-pod\\.gpuq\\.io\" denied the request: .*1\\.5.*");
                        });
                // A namespace that has not opted in is left alone.
                client.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata()
                        .withName("elsewhere").endMetadata().build()).create();
                Pod untouched = client.pods().inNamespace("elsewhere").resource(new PodBuilder().withNewMetadata()
                        .withName("plain").endMetadata().withNewSpec().addNewContainer().withName("c").withImage("img")
                        .withNewResources().addToLimits(Names.GPU_RESOURCE, new Quantity("1")).endResources()
                        .endContainer().endSpec().build()).create();
                assertThat(untouched.getSpec().getSchedulerName()).isNotEqualTo(Names.SCHEDULER_NAME);
            }

            // The webhook's certificate, signed by the CA the demo wrote, names localhost and 127.0.0.1.
            HttpClient https = HttpClient.newBuilder().sslContext(trusting(dir.resolve(".gpuq/demo/webhook-ca.crt"))).build();
            assertThat(status(https, URI.create("https://localhost:" + ports[1] + "/healthz"))).isEqualTo(200);
            assertThat(status(https, URI.create("https://127.0.0.1:" + ports[1] + "/healthz"))).isEqualTo(200);

            assertSecondDemoIsRefused(ports);

            int code = demo.terminate(Duration.ofSeconds(60));
            assertThat(code).as("stopped by SIGTERM; stderr:%n%s", demo.stderr()).isEqualTo(143);
            assertThat(demo.stdout()).contains("gpuq demo stopped: the embedded cluster, webhook and scheduler are shut down.");
            assertThat(demo.stderr()).isEmpty();
        }
        for (int port : ports) {
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            }
        }
    }

    /** In this JVM, on the ports the running demo holds: one line, exit code 2, nothing written. */
    private static void assertSecondDemoIsRefused(int[] ports) {
        boolean stateDirExisted = Files.exists(Path.of(".gpuq"));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream original = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = Main.run("demo", "--api-port", Integer.toString(ports[0]), "--webhook-port", Integer.toString(ports[1]),
                    "--metrics-port", Integer.toString(ports[2]));
        } finally {
            System.setErr(original);
        }
        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("gpuq: port " + ports[0]
                + " (--api-port) is already in use on 127.0.0.1; is another gpuq demo running? Stop it, or choose free "
                + "ports with --api-port, --webhook-port and --metrics-port" + System.lineSeparator());
        assertThat(Files.exists(Path.of(".gpuq"))).as("the refused demo wrote nothing").isEqualTo(stateDirExisted);
    }

    private static void await(String what, DemoProcess demo, Supplier<Boolean> condition) throws InterruptedException {
        // Generous: the suite must pass on a loaded 2-core machine.
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            if (!demo.alive()) {
                throw new AssertionError("gpuq demo exited while waiting for " + what + "; stdout:\n" + demo.stdout()
                        + "\nstderr:\n" + demo.stderr());
            }
            try {
                if (Boolean.TRUE.equals(condition.get())) {
                    return;
                }
            } catch (RuntimeException e) {
                // Not up yet.
            }
            Thread.sleep(100);
        }
        throw new AssertionError(what + " within 90 s; stdout:\n" + demo.stdout() + "\nstderr:\n" + demo.stderr());
    }

    private static int status(HttpClient client, URI uri) throws Exception {
        return client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static String body(HttpClient client, URI uri) {
        try {
            return client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (Exception e) {
            return "";
        }
    }

    private static SSLContext trusting(Path caFile) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        try (InputStream in = Files.newInputStream(caFile)) {
            ks.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }
}
