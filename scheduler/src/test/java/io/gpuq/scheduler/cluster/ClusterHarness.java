package io.gpuq.scheduler.cluster;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.gpuq.api.Annotations;
import io.gpuq.api.Labels;
import io.gpuq.api.Names;
import io.gpuq.api.WorkloadType;
import io.gpuq.api.crd.NodePoolQuota;
import io.gpuq.api.crd.Project;
import io.gpuq.api.crd.ProjectSpec;
import io.gpuq.embedded.EmbeddedApiServer;
import io.gpuq.embedded.KubeletStandIn;
import io.gpuq.scheduler.cycle.CycleObserver;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An embedded cluster for end-to-end tests: the embedded API (with the CRDs), a kubelet stand-in,
 * GPU nodes, Projects, and pods created the way the webhook leaves them.
 */
final class ClusterHarness implements AutoCloseable {
    final EmbeddedApiServer api = new EmbeddedApiServer().start(0);
    final KubernetesClient client = api.newClient();
    private final KubeletStandIn kubelet = new KubeletStandIn(client, 1).start();
    private final List<SchedulerProcess> schedulers = new ArrayList<>();
    private final List<KubernetesClient> extraClients = new ArrayList<>();

    ClusterHarness() throws Exception {
        for (String crd : List.of("projects", "departments", "runaijobs")) {
            Path file = Path.of("..", "charts", "gpuq", "crds", crd + ".run.ai-v1.yml");
            try (var in = Files.newInputStream(file)) {
                client.apiextensions().v1().customResourceDefinitions().load(in).create();
            }
        }
        namespace(Names.SYSTEM_NAMESPACE);
        namespace("runai-reservation");
    }

    static SchedulerSettings fastSettings() {
        return SchedulerSettings.defaults().withCyclePeriod(Duration.ofMillis(100))
                .withBindTimeout(Duration.ofSeconds(10));
    }

    SchedulerProcess startScheduler(SchedulerSettings settings, LeaderSettings leader, CycleObserver... observers) {
        return startScheduler(settings, leader, WriteObserver.NONE, observers);
    }

    SchedulerProcess startScheduler(SchedulerSettings settings, LeaderSettings leader, WriteObserver writes,
                                    CycleObserver... observers) {
        return startScheduler(settings, leader, writes, List.of(), observers);
    }

    SchedulerProcess startScheduler(SchedulerSettings settings, LeaderSettings leader, WriteObserver writes,
                                    List<LeaderTask> tasks, CycleObserver... observers) {
        KubernetesClient own = api.newClient();
        extraClients.add(own);
        SchedulerProcess p = SchedulerProcess.start(own, settings, leader, List.of(observers), writes,
                tasks, InstantSource.system());
        schedulers.add(p);
        return p;
    }

    SchedulerProcess startScheduler() {
        return startScheduler(fastSettings(), LeaderSettings.disabled("test-scheduler"));
    }

    void namespace(String name) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
                .createOr(n -> n.update());
    }

    void gpuNodes(String prefix, int count, int gpus, String pool) {
        for (int i = 0; i < count; i++) {
            NodeBuilder b = new NodeBuilder().withNewMetadata().withName(prefix + "-" + i)
                    .addToLabels(Labels.GPU_PRODUCT, "NVIDIA-H100-80GB-HBM3")
                    .addToLabels(Labels.GPU_MEMORY_MIB, "81920")
                    .addToLabels(Labels.GPU_COUNT, Integer.toString(gpus))
                    .addToLabels(Labels.CAPACITY_TYPE, "spot")
                    .addToLabels("kubernetes.io/hostname", prefix + "-" + i)
                    .endMetadata()
                    .withNewStatus()
                    .addToAllocatable(Names.GPU_RESOURCE, new Quantity(Integer.toString(gpus)))
                    .addToAllocatable("cpu", new Quantity("192"))
                    .addToAllocatable("memory", new Quantity("2Ti"))
                    .addNewCondition().withType("Ready").withStatus("True").endCondition()
                    .endStatus();
            if (pool != null) {
                b.editMetadata().addToLabels(Labels.NODE_POOL, pool).endMetadata();
            }
            client.nodes().resource(b.build()).create();
        }
    }

    void project(String name, double deserved, double weight, Map<String, Double> pools) {
        namespace(name);
        ProjectSpec spec = new ProjectSpec();
        spec.setDeservedGpus(deserved);
        spec.setOverQuotaWeight(weight);
        if (pools != null) {
            List<NodePoolQuota> list = new ArrayList<>();
            pools.forEach((pool, d) -> list.add(new NodePoolQuota(pool, d)));
            spec.setNodePools(list);
        }
        Project p = new Project();
        p.getMetadata().setName(name);
        p.getMetadata().setNamespace(Names.SYSTEM_NAMESPACE);
        p.setSpec(spec);
        client.resources(Project.class).inNamespace(Names.SYSTEM_NAMESPACE).resource(p).create();
    }

    /** A pod as the webhook leaves it: routed, labelled with project, type and preemptibility. */
    PodBuilder pod(String project, String name, WorkloadType type) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace(project)
                .addToLabels(Labels.QUEUE, project)
                .addToLabels(Labels.WORKLOAD_TYPE, type.label())
                .addToLabels(Labels.PREEMPTIBLE, Boolean.toString(WorkloadType.isPreemptible(type.priority())))
                .endMetadata()
                .withNewSpec().withSchedulerName(Names.SCHEDULER_NAME).withPriorityClassName(type.label())
                .addNewContainer().withName("main").withImage("img").endContainer().endSpec();
    }

    Pod wholeGpuPod(String project, String name, WorkloadType type, int gpus) {
        Pod p = pod(project, name, type).editSpec().editFirstContainer().withNewResources()
                .addToLimits(Names.GPU_RESOURCE, new Quantity(Integer.toString(gpus))).endResources()
                .endContainer().endSpec().build();
        return client.pods().inNamespace(project).resource(p).create();
    }

    Pod fractionPod(String project, String name, WorkloadType type, String fraction) {
        Pod p = pod(project, name, type).editMetadata().addToAnnotations(Annotations.GPU_FRACTION, fraction)
                .addToAnnotations(Annotations.NORMALISED_GPU_FRACTION, fraction).endMetadata().build();
        return client.pods().inNamespace(project).resource(p).create();
    }

    Pod gangPod(String project, String group, int index, int size, int gpus) {
        Pod p = pod(project, group + "-" + index, WorkloadType.TRAIN).editMetadata()
                .addToAnnotations(Annotations.POD_GROUP_NAME, group)
                .addToAnnotations(Annotations.POD_GROUP_MIN_MEMBER, Integer.toString(size)).endMetadata()
                .editSpec().editFirstContainer().withNewResources()
                .addToLimits(Names.GPU_RESOURCE, new Quantity(Integer.toString(gpus))).endResources()
                .endContainer().endSpec().build();
        return client.pods().inNamespace(project).resource(p).create();
    }

    List<Pod> pods(String namespace) {
        return client.pods().inNamespace(namespace).list().getItems();
    }

    List<Pod> boundPods(String namespace) {
        return pods(namespace).stream().filter(p -> p.getSpec().getNodeName() != null).collect(Collectors.toList());
    }

    /** GPUs bound in a namespace (fractions counted by their annotation). */
    double boundGpus(String namespace) {
        double sum = 0;
        for (Pod p : boundPods(namespace)) {
            String fraction = p.getMetadata().getAnnotations().get(Annotations.GPU_FRACTION);
            if (fraction != null) {
                sum += Double.parseDouble(fraction);
            } else if (p.getSpec().getContainers().get(0).getResources() != null
                    && p.getSpec().getContainers().get(0).getResources().getLimits() != null) {
                Quantity q = p.getSpec().getContainers().get(0).getResources().getLimits().get(Names.GPU_RESOURCE);
                sum += q == null ? 0 : Double.parseDouble(q.getAmount());
            }
        }
        return sum;
    }

    /** Milli-GPU in use per device ({@code node#index}) by bound pods, from their annotations. */
    Map<String, Integer> deviceUse(List<String> namespaces) {
        Map<String, Integer> use = new java.util.HashMap<>();
        Map<String, String> uuidToDevice = new java.util.HashMap<>();
        for (Pod r : pods("runai-reservation")) {
            String uuid = r.getMetadata().getAnnotations().get(Annotations.RESERVED_GPU_UUID);
            if (uuid != null) {
                uuidToDevice.put(uuid, r.getSpec().getNodeName() + "#" + r.getMetadata().getLabels().get(Labels.RESERVED_DEVICE));
            }
        }
        for (String ns : namespaces) {
            for (Pod p : boundPods(ns)) {
                String devices = devices(p);
                if (devices.isEmpty()) {
                    continue;
                }
                String fraction = p.getMetadata().getAnnotations().get(Annotations.GPU_FRACTION);
                int milli = fraction == null ? 1000 : (int) Math.round(Double.parseDouble(fraction) * 1000);
                for (String d : devices.split(",")) {
                    String key = d.startsWith("GPU-") ? uuidToDevice.getOrDefault(d, d) : p.getSpec().getNodeName() + "#" + d;
                    use.merge(key, milli, Integer::sum);
                }
            }
        }
        return use;
    }

    String devices(Pod p) {
        return Objects.requireNonNullElse(p.getMetadata().getAnnotations().get(Annotations.GPU_DEVICES), "");
    }

    static void await(String what, Supplier<Boolean> condition) throws InterruptedException {
        // Generous: the suite must pass on a loaded 2-core machine; a healthy run takes well under a second.
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (Boolean.TRUE.equals(condition.get())) {
                return;
            }
            Thread.sleep(25);
        }
        assertThat(condition.get()).as(what + " within 60 s").isTrue();
    }

    /** A client that the harness closes. */
    KubernetesClient newClient() {
        KubernetesClient c = api.newClient();
        extraClients.add(c);
        return c;
    }

    @Override
    public void close() {
        schedulers.forEach(SchedulerProcess::close);
        kubelet.close();
        extraClients.forEach(KubernetesClient::close);
        client.close();
        api.close();
    }
}
