package io.gpuq.cli;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.gpuq.api.Labels;
import io.gpuq.api.Names;
import io.gpuq.api.crd.Project;
import io.gpuq.api.crd.ProjectSpec;
import io.gpuq.embedded.EmbeddedApiServer;
import io.gpuq.scheduler.runtime.SchedulerRuntime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code gpuq scheduler}: option errors as one line with exit code 2; the runtime it starts, end to end. */
class SchedulerCommandTest {
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream originalErr;

    @BeforeEach
    void capture() {
        originalErr = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setErr(originalErr);
    }

    @Test
    void badOptionsAreOneLineAndExitCode2() {
        assertThat(Main.run("scheduler", "--cycle-period", "soon")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("gpuq: --cycle-period must be a positive duration"
                + " such as 500ms, 1s or 2m, not 'soon'" + System.lineSeparator());
        err.reset();
        assertThat(Main.run("scheduler", "--placement-policy", "random")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--placement-policy must be one of [default, binpack, spread]");
        err.reset();
        assertThat(Main.run("scheduler", "--client-qps", "0")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--client-qps must be above 0");
    }

    @Test
    void theRuntimeSchedulesServesMetricsAndIsReady() throws Exception {
        try (EmbeddedApiServer api = new EmbeddedApiServer().start(0); KubernetesClient client = api.newClient()) {
            try (var in = Files.newInputStream(Path.of("..", "charts", "gpuq", "crds", "projects.run.ai-v1.yml"))) {
                client.apiextensions().v1().customResourceDefinitions().load(in).create();
            }
            for (String ns : new String[]{Names.SYSTEM_NAMESPACE, "team-training"}) {
                client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
                        .create();
            }
            client.nodes().resource(new NodeBuilder().withNewMetadata().withName("h100-0")
                    .addToLabels(Labels.GPU_PRODUCT, "H100").addToLabels(Labels.CAPACITY_TYPE, "spot").endMetadata()
                    .withNewStatus().addToAllocatable(Names.GPU_RESOURCE, new Quantity("8")).endStatus().build()).create();
            ProjectSpec spec = new ProjectSpec();
            spec.setDeservedGpus(8.0);
            Project project = new Project();
            project.getMetadata().setName("team-training");
            project.getMetadata().setNamespace(Names.SYSTEM_NAMESPACE);
            project.setSpec(spec);
            client.resources(Project.class).inNamespace(Names.SYSTEM_NAMESPACE).resource(project).create();

            SchedulerCommand command = new SchedulerCommand();
            new CommandLine(command).parseArgs("--http-port", "0", "--http-host", "127.0.0.1", "--cycle-period", "100ms",
                    "--no-leader-election");
            try (KubernetesClient own = api.newClient();
                 SchedulerRuntime runtime = SchedulerRuntime.start(own, command.options())) {
                client.pods().inNamespace("team-training").resource(new PodBuilder().withNewMetadata().withName("train")
                        .addToLabels(Labels.QUEUE, "team-training").endMetadata().withNewSpec()
                        .withSchedulerName(Names.SCHEDULER_NAME).addNewContainer().withName("c").withImage("i")
                        .withNewResources().addToLimits(Names.GPU_RESOURCE, new Quantity("2")).endResources()
                        .endContainer().endSpec().build()).create();
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                String base = "http://127.0.0.1:" + runtime.httpPort();
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                String metrics = "";
                while (System.nanoTime() < deadline) {
                    metrics = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                            HttpResponse.BodyHandlers.ofString()).body();
                    // The allocation shows from the cycle's decision; the bind is counted when the API answers.
                    if (metrics.contains("runai_allocated_gpus{department=\"default\",nodepool=\"default\",project=\"team-training\"} 2.0")
                            && metrics.contains("runai_scheduler_binds_total{result=\"success\"} 1.0")) {
                        break;
                    }
                    Thread.sleep(100);
                }
                assertThat(metrics).contains("runai_allocated_gpus{department=\"default\",nodepool=\"default\",project=\"team-training\"} 2.0")
                        .contains("runai_scheduler_is_leader 1.0")
                        .contains("runai_scheduler_binds_total{result=\"success\"} 1.0");
                assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/readyz")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
                assertThat(client.pods().inNamespace("team-training").withName("train").get().getSpec().getNodeName())
                        .isEqualTo("h100-0");
            }
        }
    }
}
