package io.gpuq.scheduler.runaijob;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.gpuq.api.crd.RunaiJob;
import io.gpuq.api.crd.RunaiJobPhase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.gpuq.scheduler.runaijob.TestCluster.await;
import static io.gpuq.scheduler.runaijob.TestCluster.awaitPods;
import static io.gpuq.scheduler.runaijob.TestCluster.job;
import static io.gpuq.scheduler.runaijob.TestCluster.setAllPhases;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * API errors injected through the mock server's expectations, which it answers before falling back to
 * its CRUD store: each injected answer is served the given number of times, then the store takes over.
 * The controller's client does not retry on its own here, so every error reaches the controller.
 */
@EnableKubernetesMockClient(crud = true)
class RunaiJobControllerFaultsTest {

    static KubernetesClient client;
    static KubernetesMockServer server;

    private static final String NS = "team-training";
    private static final String JOB = "fsdp-training";
    private static final String PODS = "/api/v1/namespaces/" + NS + "/pods";
    private static final String JOB_PATH = "/apis/run.ai/v1/namespaces/" + NS + "/runaijobs/" + JOB;

    private KubernetesClient controllerClient;
    private RunaiJobController controller;

    @BeforeEach
    void startController() {
        TestCluster.installCrd(client);
        controllerClient = TestCluster.controllerClient(client);
        controller = new RunaiJobController(controllerClient, TestCluster.settings());
        controller.start();
        await("caches synced", controller::hasSynced);
        drainRequests();
    }

    @AfterEach
    void stopController() {
        controller.close();
        controllerClient.close();
        client.resources(RunaiJob.class).inAnyNamespace().delete();
        client.pods().inAnyNamespace().delete();
        client.services().inAnyNamespace().delete();
        client.v1().events().inAnyNamespace().delete();
    }

    private static Status status(int code, String reason) {
        return new StatusBuilder().withStatus("Failure").withCode(code).withReason(reason)
                .withMessage("injected " + code).build();
    }

    private static List<RecordedRequest> drainRequests() {
        List<RecordedRequest> requests = new ArrayList<>();
        try {
            RecordedRequest r;
            while ((r = server.takeRequest(1, TimeUnit.MILLISECONDS)) != null) {
                requests.add(r);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return requests;
    }

    private static long count(List<RecordedRequest> requests, String method, String path) {
        return requests.stream().filter(r -> method.equals(r.getMethod()) && path.equals(r.getPath())).count();
    }

    @Test
    void errorsOnEveryKindOfCallAreRetriedUntilTheJobConverges() {
        server.expect().get().withPath(JOB_PATH).andReturn(500, status(500, "InternalError")).once();
        server.expect().post().withPath(PODS).andReturn(500, status(500, "InternalError")).times(2);
        server.expect().post().withPath(PODS).andReturn(429, status(429, "TooManyRequests")).once();
        server.expect().post().withPath("/api/v1/namespaces/" + NS + "/services").andReturn(503, status(503, "ServiceUnavailable")).once();
        server.expect().put().withPath(JOB_PATH + "/status").andReturn(409, status(409, "Conflict")).once();
        server.expect().put().withPath(JOB_PATH + "/status").andReturn(500, status(500, "InternalError")).once();
        server.expect().post().withPath("/api/v1/namespaces/" + NS + "/events").andReturn(500, status(500, "InternalError")).times(3);

        client.resources(RunaiJob.class).resource(TestCluster.manifest("fsdp-training.yaml")).create();

        List<Pod> pods = awaitPods(client, NS, JOB, 4, List.of());
        await("headless Service", () -> client.services().inNamespace(NS).withName(JOB).get() != null);
        await("a status", () -> job(client, NS, JOB).getStatus() != null
                && job(client, NS, JOB).getStatus().getPhase() == RunaiJobPhase.PENDING);
        setAllPhases(client, pods, "Running");
        await("Running", () -> job(client, NS, JOB).getStatus().getPhase() == RunaiJobPhase.RUNNING);

        List<RecordedRequest> requests = drainRequests();
        assertThat(count(requests, "POST", PODS)).as("4 creations after 3 refusals").isGreaterThanOrEqualTo(7);
        assertThat(count(requests, "PUT", JOB_PATH + "/status")).as("status written after 2 refusals").isGreaterThanOrEqualTo(3);
        assertThat(count(requests, "POST", "/api/v1/namespaces/" + NS + "/services")).isGreaterThanOrEqualTo(2);
        assertThat(TestCluster.pods(client, NS, JOB)).as("no pod made twice").hasSize(4);
        assertThat(controller.isRunning()).isTrue();
    }

    @Test
    void aRestartInterruptedByAnErrorIsCountedOnce() {
        RunaiJob manifest = TestCluster.manifest("fsdp-training.yaml");
        manifest.getSpec().setBackoffLimit(3);
        client.resources(RunaiJob.class).resource(manifest).create();
        List<Pod> first = awaitPods(client, NS, JOB, 4, List.of());
        setAllPhases(client, first, "Running");
        await("Running", () -> job(client, NS, JOB).getStatus().getPhase() == RunaiJobPhase.RUNNING);

        // The failure is counted, then deleting the gang breaks off after the first pod.
        server.expect().delete().withPath(PODS + "/" + JOB + "-1").andReturn(500, status(500, "InternalError")).times(2);
        TestCluster.failPod(client, first.get(2), 1);

        List<Pod> second = awaitPods(client, NS, JOB, 4, first);
        assertThat(second).allSatisfy(p -> assertThat(p.getMetadata().getAnnotations())
                .containsEntry(WorkerPods.RESTARTS_ANNOTATION, "1"));
        setAllPhases(client, second, "Running");
        await("Running again", () -> job(client, NS, JOB).getStatus().getPhase() == RunaiJobPhase.RUNNING);
        assertThat(job(client, NS, JOB).getStatus().getFailed()).as("one failure, however many retries").isEqualTo(1);
        assertThat(count(drainRequests(), "DELETE", PODS + "/" + JOB + "-1")).isGreaterThanOrEqualTo(3);
    }
}
