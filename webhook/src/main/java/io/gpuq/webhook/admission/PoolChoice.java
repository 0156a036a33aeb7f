package io.gpuq.webhook.admission;

import io.gpuq.api.Labels;
import io.gpuq.api.crd.NodePoolQuota;
import io.gpuq.api.crd.Project;
import io.gpuq.webhook.ClusterView;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * DESIGN §3.3 step 4: the node pools a pod may run in. A project uses only the pools it lists (the
 * {@code default} pool when it lists none); a pod label {@code runai/node-pool} narrows that to one.
 *
 * @param projectPools the project's pools, in the project's order, with their deserved GPUs
 * @param candidates   the pools the pod may be placed in
 * @param problem      why the pod's own pool choice is not allowed, for the user; null when fine
 */
record PoolChoice(Map<String, Double> projectPools, List<String> candidates, String problem) {

    static PoolChoice of(Project project, String podPool) {
        Map<String, Double> pools = new LinkedHashMap<>();
        for (NodePoolQuota quota : ProjectSpecs.of(project).effectiveNodePools()) {
            if (quota != null && JsonReads.hasText(quota.getName())) {
                pools.putIfAbsent(quota.getName(), quota.effectiveDeservedGpus());
            }
        }
        Map<String, Double> projectPools = Collections.unmodifiableMap(pools);
        List<String> all = List.copyOf(projectPools.keySet());
        if (!JsonReads.hasText(podPool)) {
            return new PoolChoice(projectPools, all, null);
        }
        if (projectPools.containsKey(podPool)) {
            return new PoolChoice(projectPools, List.of(podPool), null);
        }
        String projectName = project.getMetadata() == null ? null : project.getMetadata().getName();
        return new PoolChoice(projectPools, all, "pod label " + Labels.NODE_POOL + " " + Messages.quote(podPool)
                + " names a node pool that project " + Messages.quote(projectName) + " does not have; allowed pools: "
                + String.join(", ", all) + " (remove the label or pick one of these)");
    }

    boolean allowed(String pool) {
        return projectPools.containsKey(pool);
    }

    /** The largest deserved quota among the candidate pools; negative means "all" in one of them. */
    double largestCandidateDeserved() {
        double largest = 0;
        for (String pool : candidates) {
            double deserved = projectPools.getOrDefault(pool, 0.0);
            if (deserved < 0) {
                return deserved;
            }
            largest = Math.max(largest, deserved);
        }
        return largest;
    }

    /** The candidate pool with the largest GPUs the cluster knows of, if any is known. */
    Optional<ClusterView.PoolGpus> largestGpus(ClusterView view) {
        Map<String, ClusterView.PoolGpus> known = view.pools();
        ClusterView.PoolGpus best = null;
        for (String pool : candidates) {
            ClusterView.PoolGpus gpus = known.get(pool);
            if (gpus != null && gpus.maxGpuMemoryMiB() > 0
                    && (best == null || gpus.maxGpuMemoryMiB() > best.maxGpuMemoryMiB())) {
                best = gpus;
            }
        }
        return Optional.ofNullable(best);
    }

    /** Candidate pools among {@code selected}, in candidate order. */
    List<String> candidatesIn(Set<String> selected) {
        List<String> out = new ArrayList<>();
        for (String pool : candidates) {
            if (selected.contains(pool)) {
                out.add(pool);
            }
        }
        return out;
    }
}
