package io.gpuq.webhook.admission;

import io.gpuq.api.Labels;
import io.gpuq.api.crd.Department;
import io.gpuq.api.crd.Project;
import io.gpuq.webhook.ClusterView;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** A cluster held in maps, filled by each test; answers like the informer-backed view would. */
final class InMemoryClusterView implements ClusterView {

    private final Map<String, Map<String, String>> namespaces = new ConcurrentHashMap<>();
    private final Map<String, Project> projects = new ConcurrentHashMap<>();
    private final Map<String, Department> departments = new ConcurrentHashMap<>();
    private final Map<String, PoolGpus> pools = new LinkedHashMap<>();
    private final Map<List<String>, Gang> gangs = new ConcurrentHashMap<>();

    /** A namespace carrying the default opt-in label. */
    InMemoryClusterView optIn(String namespace) {
        return namespace(namespace, Map.of(Labels.RUNAI_JOB, Labels.RUNAI_JOB_ENABLED));
    }

    InMemoryClusterView namespace(String name, Map<String, String> labels) {
        namespaces.put(name, Map.copyOf(labels));
        return this;
    }

    InMemoryClusterView project(Project project) {
        projects.put(project.getMetadata().getName(), project);
        return this;
    }

    InMemoryClusterView department(Department department) {
        departments.put(department.getMetadata().getName(), department);
        return this;
    }

    InMemoryClusterView pool(String name, long maxGpuMemoryMiB, String... models) {
        synchronized (pools) {
            pools.put(name, new PoolGpus(name, Set.of(models), maxGpuMemoryMiB, 8));
        }
        return this;
    }

    InMemoryClusterView gang(String namespace, String kind, String name, Gang gang) {
        gangs.put(List.of(namespace, kind, name), gang);
        return this;
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
        return projects.values().stream()
                .filter(p -> Objects.equals(p.effectiveNamespace(), namespace))
                .findFirst();
    }

    @Override
    public Optional<Department> department(String name) {
        return Optional.ofNullable(departments.get(name));
    }

    @Override
    public Map<String, PoolGpus> pools() {
        synchronized (pools) {
            return Map.copyOf(pools);
        }
    }

    @Override
    public Optional<Gang> gangOf(String namespace, String apiVersion, String kind, String name) {
        return Optional.ofNullable(gangs.get(List.of(namespace, kind, name)));
    }

    @Override
    public boolean synced() {
        return true;
    }
}
