package io.gpuq.embedded;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.gpuq.api.Annotations;
import io.gpuq.api.Labels;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EmbeddedApiServerTest {
    private EmbeddedApiServer api;
    private KubernetesClient client;

    @BeforeEach
    void start() {
        api = new EmbeddedApiServer().start(0);
        client = api.newClient();
    }

    @AfterEach
    void stop() {
        client.close();
        api.close();
    }

    private Pod pod(String name) {
        return client.pods().inNamespace("team").resource(new PodBuilder()
                .withNewMetadata().withName(name).withNamespace("team").addToLabels("app", "x").endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("img").endContainer().endSpec()
                .build()).create();
    }

    private void bind(String pod, String node) {
        client.bindings().inNamespace("team").resource(new BindingBuilder()
                .withNewMetadata().withName(pod).withNamespace("team").endMetadata()
                .withNewTarget().withKind("Node").withApiVersion("v1").withName(node).endTarget().build()).create();
    }

    @Test
    void bindingSetsTheNodeOnceAndConflictsAfter() {
        pod("p");
        bind("p", "node-1");
        assertThat(client.pods().inNamespace("team").withName("p").get().getSpec().getNodeName()).isEqualTo("node-1");
        assertThatThrownBy(() -> bind("p", "node-2"))
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(409);
                    assertThat(e.getMessage()).contains("already assigned to node \"node-1\"");
                });
        assertThatThrownBy(() -> bind("missing", "node-2"))
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(404));
    }

    @Test
    void bindingAnnotationsLandOnThePodAndAUidMismatchIsRefused() {
        Pod p = pod("annotated");
        assertThatThrownBy(() -> client.bindings().inNamespace("team").resource(new BindingBuilder()
                .withNewMetadata().withName("annotated").withNamespace("team").withUid("another-uid").endMetadata()
                .withNewTarget().withKind("Node").withApiVersion("v1").withName("n").endTarget().build()).create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
        client.bindings().inNamespace("team").resource(new BindingBuilder()
                .withNewMetadata().withName("annotated").withNamespace("team").withUid(p.getMetadata().getUid())
                .addToAnnotations(Annotations.GPU_DEVICES, "2,3").endMetadata()
                .withNewTarget().withKind("Node").withApiVersion("v1").withName("n").endTarget().build()).create();
        Pod bound = client.pods().inNamespace("team").withName("annotated").get();
        assertThat(bound.getSpec().getNodeName()).isEqualTo("n");
        assertThat(bound.getMetadata().getAnnotations()).containsEntry(Annotations.GPU_DEVICES, "2,3");
    }

    @Test
    void evictionDeletesThePodUnlessABudgetForbidsIt() {
        pod("a");
        assertThat(client.pods().inNamespace("team").withName("a").evict()).isTrue();
        assertThat(client.pods().inNamespace("team").withName("a").get()).isNull();

        pod("b");
        client.policy().v1().podDisruptionBudget().inNamespace("team").resource(new PodDisruptionBudgetBuilder()
                .withNewMetadata().withName("keep").withNamespace("team").endMetadata()
                .withNewSpec().withNewSelector().addToMatchLabels("app", "x").endSelector().endSpec()
                .withNewStatus().withDisruptionsAllowed(0).endStatus().build()).create();
        assertThat(client.pods().inNamespace("team").withName("b").evict()).isFalse();
        assertThat(client.pods().inNamespace("team").withName("b").get()).isNotNull();
    }

    @Test
    void injectedFaultsAnswerTheNextMatchingRequests() {
        pod("p");
        api.faults().fail(FaultInjector.Request::isBinding, 500, 1);
        assertThatThrownBy(() -> bind("p", "n"))
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(500));
        bind("p", "n");
        assertThat(api.faults().injectedErrors()).isEqualTo(1);
        api.faults().delay(r -> r.path().endsWith("/pods/p"), Duration.ofMillis(200));
        long t0 = System.nanoTime();
        client.pods().inNamespace("team").withName("p").get();
        assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(Duration.ofMillis(200).toNanos());
    }

    @Test
    void admissionChangesOrRejectsCreatedPods() {
        api.setAdmission((ns, pod) -> {
            if (pod.path("metadata").path("name").asText().startsWith("bad")) {
                return AdmissionHook.Outcome.deny(403, "admission webhook denied the request: bad name");
            }
            ((ObjectNode) pod.path("metadata")).putObject("labels").put("admitted", "yes");
            return AdmissionHook.Outcome.allow(pod);
        });
        assertThat(pod("good").getMetadata().getLabels()).containsEntry("admitted", "yes");
        assertThatThrownBy(() -> pod("bad"))
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(403);
                    assertThat(e.getMessage()).contains("bad name");
                });
    }

    @Test
    void kubeletStandInRunsBoundPodsCompletesThemAndFillsReservations() throws Exception {
        try (KubeletStandIn kubelet = new KubeletStandIn(client, 100).start()) {
            client.pods().inNamespace("team").resource(new PodBuilder()
                    .withNewMetadata().withName("short").withNamespace("team")
                    .addToAnnotations(KubeletStandIn.RUN_SECONDS, "10").endMetadata()
                    .withNewSpec().addNewContainer().withName("c").withImage("img").endContainer().endSpec()
                    .build()).create();
            bind("short", "node-1");
            awaitTrue(() -> "Succeeded".equals(phase("short")));

            client.pods().inNamespace("team").resource(new PodBuilder()
                    .withNewMetadata().withName("res").withNamespace("team")
                    .addToLabels(Labels.RESERVATION, "true").addToLabels(Labels.RESERVED_DEVICE, "3").endMetadata()
                    .withNewSpec().withNodeName("node-2").addNewContainer().withName("c").withImage("img").endContainer()
                    .endSpec().build()).create();
            awaitTrue(() -> "GPU-node-2-3".equals(client.pods().inNamespace("team").withName("res").get()
                    .getMetadata().getAnnotations().get(Annotations.RESERVED_GPU_UUID)));
            awaitTrue(() -> "Running".equals(phase("res")));
        }
    }

    private String phase(String name) {
        Pod p = client.pods().inNamespace("team").withName(name).get();
        return p == null || p.getStatus() == null ? null : p.getStatus().getPhase();
    }

    private static void awaitTrue(Supplier<Boolean> condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            if (Boolean.TRUE.equals(condition.get())) {
                return;
            }
            Thread.sleep(20);
        }
        assertThat(condition.get()).as("condition within 10 s").isTrue();
    }

    @Test
    void creationTimestampsComeFromTheChosenClockInCreationOrder() {
        Instant fixed = Instant.parse("2030-01-01T00:00:00Z");
        api.useClock(() -> fixed);
        Pod first = pod("first");
        Pod second = pod("second");
        assertThat(first.getMetadata().getCreationTimestamp()).isEqualTo("2030-01-01T00:00:00Z");
        // The same clock reading twice: the later object is still the newer one.
        assertThat(second.getMetadata().getCreationTimestamp()).isEqualTo("2030-01-01T00:00:00.001Z");
        assertThat(client.pods().inNamespace("team").withName("second").get().getMetadata().getCreationTimestamp())
                .isEqualTo("2030-01-01T00:00:00.001Z");
        // Updates keep the creation time.
        client.pods().inNamespace("team").withName("first").edit(p -> {
            p.getMetadata().getLabels().put("edited", "yes");
            return p;
        });
        assertThat(client.pods().inNamespace("team").withName("first").get().getMetadata().getCreationTimestamp())
                .isEqualTo("2030-01-01T00:00:00Z");
    }

    @Test
    void discoveryAnswersAsKubectlReadsItIncludingStoredCrds() throws Exception {
        assertThat(client.getKubernetesVersion().getGitVersion()).startsWith("v1.");
        assertThat(client.getApiResources("v1").getResources()).extracting("name")
                .contains("pods", "pods/binding", "pods/eviction", "nodes", "namespaces", "events");
        assertThat(client.getApiGroups().getGroups()).extracting("name").doesNotContain("run.ai")
                .contains("scheduling.k8s.io", "coordination.k8s.io", "apiextensions.k8s.io");
        try (var in = java.nio.file.Files.newInputStream(java.nio.file.Path.of("..", "charts", "gpuq", "crds",
                "projects.run.ai-v1.yml"))) {
            client.apiextensions().v1().customResourceDefinitions().load(in).create();
        }
        assertThat(client.getApiGroups().getGroups()).filteredOn(g -> g.getName().equals("run.ai")).singleElement()
                .satisfies(g -> assertThat(g.getPreferredVersion().getGroupVersion()).isEqualTo("run.ai/v1"));
        assertThat(client.getApiResources("run.ai/v1").getResources())
                .filteredOn(r -> r.getName().equals("projects")).singleElement()
                .satisfies(r -> {
                    assertThat(r.getKind()).isEqualTo("Project");
                    assertThat(r.getNamespaced()).isTrue();
                    assertThat(r.getVerbs()).contains("list", "watch");
                });
        assertThat(client.getApiResources("kubeflow.org/v1")).as("not served: 404, which the client reads as none").isNull();
    }

    @Test
    void aTakenPortIsAClearError() {
        try (EmbeddedApiServer second = new EmbeddedApiServer()) {
            assertThatThrownBy(() -> second.start(api.port()))
                    .isInstanceOf(EmbeddedApiServer.PortInUseException.class)
                    .hasMessageContaining("port is in use");
        }
    }
}
