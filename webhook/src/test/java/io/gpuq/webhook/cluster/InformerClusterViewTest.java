package io.gpuq.webhook.cluster;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.gpuq.api.crd.Department;
import io.gpuq.api.crd.DistributedTraining;
import io.gpuq.api.crd.NodePoolQuota;
import io.gpuq.api.crd.Project;
import io.gpuq.api.crd.RunaiJob;
import io.gpuq.api.crd.Workers;
import io.gpuq.webhook.ClusterView.Gang;
import io.gpuq.webhook.ClusterView.PoolGpus;
import io.gpuq.webhook.server.AdmissionMetrics;
import io.gpuq.webhook.testing.ServerFixture;
import io.gpuq.webhook.testing.StubReviewer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** The informer-backed view against the fabric8 mock API server in CRUD mode. */
@EnableKubernetesMockClient(crud = true)
class InformerClusterViewTest {

    static KubernetesClient client;

    private InformerClusterView view;
    /** The view's own client, as the webhook has: watches closed by one test never stall the next. */
    private KubernetesClient viewClient;

    @BeforeEach
    void cluster() {
        viewClient = new KubernetesClientBuilder().withConfig(client.getConfiguration()).build();
        for (String ns : List.of("runai", "team-a", "team-b")) {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns)
                    .withLabels(ns.startsWith("team") ? Map.of("runai-job", "true") : Map.of()).endMetadata().build())
                    .createOr(e -> e.update());
        }
    }

    @AfterEach
    void stop() {
        if (view != null) {
            view.close();
        }
        viewClient.close();
        client.resources(Project.class).inNamespace("runai").delete();
        client.resources(Department.class).inNamespace("runai").delete();
        client.nodes().delete();
        client.resources(RunaiJob.class).inAnyNamespace().delete();
        client.batch().v1().jobs().inAnyNamespace().delete();
    }

    private static Project project(String name, String namespace, List<NodePoolQuota> pools) {
        Project p = new Project();
        p.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("runai").build());
        p.getSpec().setDeservedGpus(4.0);
        p.getSpec().setNamespace(namespace);
        p.getSpec().setNodePools(pools);
        return p;
    }

    private static Node node(String name, String pool, String product, String memoryMiB, String allocatable) {
        NodeBuilder b = new NodeBuilder().withNewMetadata().withName(name).endMetadata();
        if (pool != null) {
            b.editMetadata().addToLabels("runai/node-pool", pool).endMetadata();
        }
        if (product != null) {
            b.editMetadata().addToLabels("nvidia.com/gpu.product", product).addToLabels("nvidia.com/gpu.memory", memoryMiB)
                    .addToLabels("nvidia.com/gpu.count", "8").endMetadata();
        }
        if (allocatable != null) {
            b.withNewStatus().addToAllocatable("nvidia.com/gpu", new Quantity(allocatable)).endStatus();
        }
        return b.build();
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(condition.getAsBoolean()).as("condition reached within 10 s").isTrue();
    }

    private void startView() throws Exception {
        view = new InformerClusterView(viewClient, "runai", List.of());
        view.start().get(20, TimeUnit.SECONDS);
    }

    @Test
    void notSyncedBeforeStartThenSynced() throws Exception {
        view = new InformerClusterView(viewClient, "runai", List.of());
        assertThat(view.synced()).isFalse();
        view.start().get(20, TimeUnit.SECONDS);
        assertThat(view.synced()).isTrue();
    }

    @Test
    void readinessOfTheServerFollowsTheInformers() throws Exception {
        view = new InformerClusterView(viewClient, "runai", List.of());
        try (ServerFixture f = new ServerFixture(new StubReviewer(), view::synced, b -> b)) {
            HttpClient h = f.client(HttpClient.Version.HTTP_1_1);
            assertThat(f.get(h, f.uri("/readyz")).statusCode()).isEqualTo(503);
            assertThat(f.get(h, f.uri("/readyz")).body()).contains("not synced");
            assertThat(f.get(h, f.uri("/healthz")).statusCode()).as("alive while not ready").isEqualTo(200);
            view.start().get(20, TimeUnit.SECONDS);
            assertThat(f.get(h, f.uri("/readyz")).statusCode()).isEqualTo(200);
            assertThat(f.get(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(), f.metricsUri("/readyz")).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void namespacesProjectsAndDepartmentsFromTheCaches() throws Exception {
        client.resource(project("team-a", null, null)).create();
        Project b = project("research", "team-b", List.of(new NodePoolQuota("a100", 2.0)));
        b.getSpec().setDepartment("ml");
        client.resource(b).create();
        Department ml = new Department();
        ml.setMetadata(new ObjectMetaBuilder().withName("ml").withNamespace("runai").build());
        client.resource(ml).create();
        startView();

        assertThat(view.namespaceLabels("team-a")).contains(Map.of("runai-job", "true"));
        assertThat(view.namespaceLabels("missing")).isEmpty();
        assertThat(view.project("research").map(p -> p.getSpec().getDepartment())).contains("ml");
        assertThat(view.project("nope")).isEmpty();
        assertThat(view.projectForNamespace("team-a").map(p -> p.getMetadata().getName())).contains("team-a");
        assertThat(view.projectForNamespace("team-b").map(p -> p.getMetadata().getName())).contains("research");
        assertThat(view.projectForNamespace("runai")).isEmpty();
        assertThat(view.department("ml")).isPresent();
        assertThat(view.department("other")).isEmpty();

        // Changes arrive through the watch: the namespace index follows spec.namespace.
        Project moved = client.resources(Project.class).inNamespace("runai").withName("research").get();
        moved.getSpec().setNamespace("team-c");
        client.resource(moved).update();
        await(() -> view.projectForNamespace("team-c").isPresent());
        assertThat(view.projectForNamespace("team-b")).isEmpty();
        client.namespaces().withName("team-a").edit(n -> new NamespaceBuilder(n).editMetadata()
                .addToLabels("extra", "x").endMetadata().build());
        await(() -> view.namespaceLabels("team-a").orElseThrow().containsKey("extra"));
    }

    @Test
    void poolsSummariseNodesAndAreRecomputedOnlyWhenGpuFactsChange() throws Exception {
        client.resource(node("a1", "a100", "NVIDIA-A100-SXM4-80GB", "81920", "8")).create();
        client.resource(node("a2", "a100", "NVIDIA-A100-SXM4-40GB", "40960", "4")).create();
        client.resource(node("cpu", null, null, null, null)).create();
        client.resource(node("h1", "h100", "NVIDIA-H100-80GB-HBM3", "81559", null)).create();
        startView();

        Map<String, PoolGpus> pools = view.pools();
        assertThat(pools).containsOnlyKeys("a100", "default", "h100");
        assertThat(pools.get("a100")).isEqualTo(new PoolGpus("a100",
                Set.of("NVIDIA-A100-SXM4-80GB", "NVIDIA-A100-SXM4-40GB"), 81920, 12));
        assertThat(pools.get("default")).isEqualTo(new PoolGpus("default", Set.of(), 0, 0));
        assertThat(pools.get("h100").gpus()).as("gpu.count label without allocatable").isEqualTo(8);
        assertThat(view.pools()).isSameAs(pools);

        var stats = view.caches().get("cluster_pools");
        long loads = stats.stats().loadCount();
        client.nodes().withName("a1").edit(n -> new NodeBuilder(n).editMetadata().addToLabels("heartbeat", "1")
                .endMetadata().build());
        Thread.sleep(300);
        assertThat(view.pools()).isSameAs(pools);
        assertThat(stats.stats().loadCount()).as("an unrelated change recomputes nothing").isEqualTo(loads);

        client.nodes().withName("cpu").edit(n -> new NodeBuilder(n).editMetadata().addToLabels("runai/node-pool", "a100")
                .endMetadata().build());
        await(() -> !view.pools().containsKey("default"));
        client.nodes().withName("h1").delete();
        await(() -> !view.pools().containsKey("h100"));
        assertThat(view.pools().keySet()).containsExactly("a100");
    }

    @Test
    void gangsOfRunaiJobsAndJobsFollowTheirOwners() throws Exception {
        RunaiJob dist = new RunaiJob();
        dist.setMetadata(new ObjectMetaBuilder().withName("fsdp").withNamespace("team-a").withUid("u-1").build());
        dist.getSpec().setDistributedTraining(new DistributedTraining(new Workers(4, null)));
        client.resource(dist).create();
        RunaiJob single = new RunaiJob();
        single.setMetadata(new ObjectMetaBuilder().withName("one").withNamespace("team-a").build());
        client.resource(single).create();
        client.batch().v1().jobs().inNamespace("team-a").resource(new JobBuilder()
                .withNewMetadata().withName("sweep").withNamespace("team-a").withUid("u-2").endMetadata()
                .withNewSpec().withParallelism(3).withCompletions(10).endSpec().build()).create();
        client.batch().v1().jobs().inNamespace("team-a").resource(new JobBuilder()
                .withNewMetadata().withName("small").withNamespace("team-a").endMetadata()
                .withNewSpec().withParallelism(5).withCompletions(2).endSpec().build()).create();
        startView();

        String uid = client.resources(RunaiJob.class).inNamespace("team-a").withName("fsdp").get().getMetadata().getUid();
        assertThat(view.gangOf("team-a", "run.ai/v1", "RunaiJob", "fsdp")).contains(new Gang("pg-fsdp-" + uid, 4));
        assertThat(view.gangOf("team-a", "run.ai/v1", "RunaiJob", "one")).isEmpty();
        assertThat(view.gangOf("team-a", "batch/v1", "Job", "sweep").map(Gang::minMember)).contains(3);
        assertThat(view.gangOf("team-a", "batch/v1", "Job", "small").map(Gang::minMember)).contains(2);
        assertThat(view.gangOf("team-a", "batch/v1", "Job", "absent")).isEmpty();
        assertThat(view.gangOf("team-a", "apps/v1", "ReplicaSet", "web-123")).isEmpty();
        assertThat(view.gangOf("team-b", "run.ai/v1", "RunaiJob", "fsdp")).isEmpty();

        // A cached answer is dropped when its owner changes.
        RunaiJob scaled = client.resources(RunaiJob.class).inNamespace("team-a").withName("fsdp").get();
        scaled.getSpec().getDistributedTraining().getWorkers().setReplicas(8);
        client.resource(scaled).update();
        await(() -> view.gangOf("team-a", "run.ai/v1", "RunaiJob", "fsdp").map(Gang::minMember).equals(Optional.of(8)));
        // An owner that appears after a lookup missed is found once its event arrives.
        client.batch().v1().jobs().inNamespace("team-b").resource(new JobBuilder()
                .withNewMetadata().withName("late").withNamespace("team-b").endMetadata()
                .withNewSpec().withParallelism(2).endSpec().build()).create();
        await(() -> view.gangOf("team-b", "batch/v1", "Job", "late").isPresent());
        assertThat(view.caches().get("cluster_gangs").stats().hitCount()).isPositive();
    }

    @Test
    void kubeflowJobsAreInformedWhenTheirCrdIsServed() throws Exception {
        client.apiextensions().v1().customResourceDefinitions().resource(new CustomResourceDefinitionBuilder()
                .withNewMetadata().withName("pytorchjobs.kubeflow.org").endMetadata()
                .withNewSpec().withGroup("kubeflow.org").withScope("Namespaced")
                .withNewNames().withKind("PyTorchJob").withPlural("pytorchjobs").withSingular("pytorchjob").endNames()
                .addNewVersion().withName("v1").withServed(true).withStorage(true).endVersion()
                .endSpec().build()).createOr(e -> e.update());
        GenericKubernetesResource job = new GenericKubernetesResourceBuilder()
                .withApiVersion("kubeflow.org/v1").withKind("PyTorchJob")
                .withNewMetadata().withName("bert").withNamespace("team-a").endMetadata()
                .addToAdditionalProperties("spec", Map.of("pytorchReplicaSpecs", Map.of(
                        "Master", Map.of("replicas", 1), "Worker", Map.of("replicas", 3))))
                .build();
        client.genericKubernetesResources("kubeflow.org/v1", "PyTorchJob").inNamespace("team-a").resource(job).create();
        view = new InformerClusterView(viewClient, "runai", List.of(new InformerClusterView.OwnerKind("kubeflow.org/v1",
                "PyTorchJob"), new InformerClusterView.OwnerKind("kubeflow.org/v2beta1", "MPIJob")));
        view.start().get(20, TimeUnit.SECONDS);
        assertThat(view.gangOf("team-a", "kubeflow.org/v1", "PyTorchJob", "bert").map(Gang::minMember)).contains(4);
        assertThat(view.gangOf("team-a", "kubeflow.org/v2beta1", "MPIJob", "bert")).as("CRD not served").isEmpty();
    }

    @Test
    void cacheStatisticsAreExported() throws Exception {
        startView();
        view.pools();
        view.pools();
        AdmissionMetrics metrics = new AdmissionMetrics();
        view.caches().forEach(metrics::registerCache);
        String text = new String(metrics.scrape(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(text).contains("caffeine_cache_hit_total{cache=\"cluster_pools\"} 1.0");
        assertThat(text).contains("caffeine_cache_miss_total{cache=\"cluster_pools\"} 1.0");
        assertThat(text).contains("caffeine_cache_eviction_total{cache=\"cluster_gangs\"} 0.0");
        assertThat(text).contains("caffeine_cache_estimated_size{cache=\"cluster_pools\"} 1.0");
    }
}
