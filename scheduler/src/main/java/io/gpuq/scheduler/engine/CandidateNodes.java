package io.gpuq.scheduler.engine;

import io.gpuq.scheduler.engine.model.GpuNode;
import io.gpuq.scheduler.engine.model.NodeSelectorTerm;
import io.gpuq.scheduler.engine.model.PodRequest;
import io.gpuq.scheduler.engine.model.Taint;
import io.gpuq.scheduler.engine.model.Toleration;
import io.gpuq.scheduler.engine.placement.CandidateList;
import io.gpuq.scheduler.engine.placement.NodeState;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Which nodes a pod may go to, as kube-scheduler's filters would say: pool, readiness,
 * {@code unschedulable}, nodeSelector, required node affinity, NoSchedule/NoExecute taints. Results
 * are cached per constraint set, since most pods of a cycle share a handful of them.
 */
final class CandidateNodes {
    private record Key(Set<String> pools, Map<String, String> selector, List<NodeSelectorTerm> affinity,
                       List<Toleration> tolerations) {
    }

    private final Map<String, List<NodeState>> byPool = new HashMap<>();
    /** Lists handed out: they never change, which lets placement policies skip checking them. */
    private final Map<Key, List<NodeState>> cache = new HashMap<>();

    CandidateNodes(Collection<NodeState> nodes) {
        for (NodeState n : nodes) {
            byPool.computeIfAbsent(n.node().pool(), p -> new ArrayList<>()).add(n);
        }
    }

    List<NodeState> inPool(String pool) {
        return byPool.getOrDefault(pool, List.of());
    }

    /** Nodes of the given pools (ready and schedulable) that satisfy the pod's constraints. */
    List<NodeState> forPod(Set<String> pools, PodRequest pod) {
        Key key = new Key(pools, pod.nodeSelector(), pod.requiredAffinity(), pod.tolerations());
        return cache.computeIfAbsent(key, this::compute);
    }

    private List<NodeState> compute(Key key) {
        List<NodeState> out = new ArrayList<>();
        for (String pool : key.pools()) {
            for (NodeState n : byPool.getOrDefault(pool, List.of())) {
                if (admits(n.node(), key.selector(), key.affinity(), key.tolerations())) {
                    out.add(n);
                }
            }
        }
        return CandidateList.of(out);
    }

    static boolean admits(GpuNode node, Map<String, String> selector, List<NodeSelectorTerm> affinity,
                          List<Toleration> tolerations) {
        if (!node.ready() || node.unschedulable()) {
            return false;
        }
        for (Map.Entry<String, String> e : selector.entrySet()) {
            if (!Objects.equals(node.labels().get(e.getKey()), e.getValue())) {
                return false;
            }
        }
        if (!affinity.isEmpty()) {
            boolean any = false;
            for (NodeSelectorTerm t : affinity) {
                if (t.matches(node.labels())) {
                    any = true;
                    break;
                }
            }
            if (!any) {
                return false;
            }
        }
        for (Taint taint : node.taints()) {
            if (!taint.isHard()) {
                continue;
            }
            boolean tolerated = false;
            for (Toleration t : tolerations) {
                if (t.tolerates(taint)) {
                    tolerated = true;
                    break;
                }
            }
            if (!tolerated) {
                return false;
            }
        }
        return true;
    }
}
