package io.gpuq.webhook;

import io.gpuq.api.crd.Department;
import io.gpuq.api.crd.Project;

import java.util.Map;
import java.util.Optional;

/**
 * What admission needs to know about the cluster, answered from informer caches: never an API call on
 * the request path.
 */
public interface ClusterView {

    /** GPU facts of one node pool, from the nodes' GPU feature discovery labels. */
    record PoolGpus(String pool, java.util.Set<String> gpuModels, long maxGpuMemoryMiB, int gpus) {
    }

    /** A pod owner's gang facts: the pod-group name and how many pods must start together. */
    record Gang(String podGroupName, int minMember) {
    }

    /** Labels of a namespace, or empty if the namespace is not known. */
    Optional<Map<String, String>> namespaceLabels(String namespace);

    /** The Project with this name in the system namespace. */
    Optional<Project> project(String name);

    /** The Project whose {@code spec.namespace} (default: its name) is this namespace. */
    Optional<Project> projectForNamespace(String namespace);

    Optional<Department> department(String name);

    /** Node pools that have at least one node, by name. */
    Map<String, PoolGpus> pools();

    /**
     * The gang of the owner {@code kind}/{@code name} in {@code namespace} (a RunaiJob, Job, PyTorchJob …),
     * or empty when the owner is unknown or not a gang.
     */
    Optional<Gang> gangOf(String namespace, String apiVersion, String kind, String name);

    /** True once every informer has synced; admission is not ready before. */
    boolean synced();
}
