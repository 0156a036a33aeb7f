package io.gpuq.webhook.testing;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.gpuq.api.crd.Department;
import io.gpuq.api.crd.NodePoolQuota;
import io.gpuq.api.crd.Project;
import io.gpuq.webhook.ClusterView;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A fixed cluster for tests and the benchmark: namespaces, Projects in {@code runai}, pools and gangs
 * set up front. Answers from maps, as the informer-backed view answers from its caches.
 */
public final class StaticClusterView implements ClusterView {

    private final Map<String, Map<String, String>> namespaces = new ConcurrentHashMap<>();
    private final Map<String, Project> projects = new ConcurrentHashMap<>();
    private final Map<String, Department> departments = new ConcurrentHashMap<>();
    private final Map<String, PoolGpus> pools = new ConcurrentHashMap<>();
    private final Map<List<String>, Gang> gangs = new ConcurrentHashMap<>();

    /** An opted-in namespace with a Project of the same name, {@code deserved} GPUs in the listed pools. */
    public StaticClusterView team(String name, double deserved, String... poolNames) {
        namespaces.put(name, Map.of("runai-job", "true"));
        Project p = new Project();
        p.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("runai").withUid("uid-" + name).build());
        p.getSpec().setDeservedGpus(deserved);
        if (poolNames.length > 0) {
            p.getSpec().setNodePools(java.util.Arrays.stream(poolNames)
                    .map(pool -> new NodePoolQuota(pool, deserved / poolNames.length)).toList());
        }
        projects.put(name, p);
        return this;
    }

    public StaticClusterView namespace(String name, Map<String, String> labels) {
        namespaces.put(name, Map.copyOf(labels));
        return this;
    }

    public StaticClusterView pool(String name, String model, long memoryMiB, int gpus) {
        pools.put(name, new PoolGpus(name, Set.of(model), memoryMiB, gpus));
        return this;
    }

    public StaticClusterView gang(String namespace, String apiVersion, String kind, String name, Gang gang) {
        gangs.put(List.of(namespace, apiVersion, kind, name), gang);
        return this;
    }

    /** The seed's cluster: three teams, an inference pool, 16 A100s in the default pool. */
    public static StaticClusterView seedLike() {
        return new StaticClusterView()
                .team("team-training", 8)
                .team("team-inference", 4, "default", "inference-pool")
                .team("team-research", 2)
                .namespace("runai", Map.of())
                .pool("default", "NVIDIA-A100-SXM4-80GB", 81920, 16)
                .pool("inference-pool", "NVIDIA-L4", 23034, 8);
    }

    @Override
    public Optional<Map<String, String>> namespaceLabels(String namespace) {
        return Optional.ofNullable(namespaces.get(namespace));
    }

    @Override
    public Optional<Project> project(String name) {
        return Optional.ofNullable(projects.get(name));
    }

    @Override
    public Optional<Project> projectForNamespace(String namespace) {
        return projects.values().stream().filter(p -> namespace.equals(p.effectiveNamespace())).findFirst();
    }

    @Override
    public Optional<Department> department(String name) {
        return Optional.ofNullable(departments.get(name));
    }

    @Override
    public Map<String, PoolGpus> pools() {
        return java.util.Collections.unmodifiableMap(pools);
    }

    @Override
    public Optional<Gang> gangOf(String namespace, String apiVersion, String kind, String name) {
        return Optional.ofNullable(gangs.get(List.of(namespace, apiVersion, kind, name)));
    }

    @Override
    public boolean synced() {
        return true;
    }
}
