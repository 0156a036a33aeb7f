package io.gpuq.scheduler.engine.placement;

import io.gpuq.scheduler.engine.model.GpuNode;
import io.gpuq.scheduler.engine.model.NodeSelectorTerm;
import io.gpuq.scheduler.engine.model.Taint;
import io.gpuq.scheduler.engine.model.Toleration;

import java.util.Map;
import java.util.Objects;

/**
 * Whether a kind of pod may use a node at all, by kube-scheduler's rules: nodeSelector, required node
 * affinity (terms ORed) and hard taints. Readiness is not checked: the policy only scores nodes the
 * engine already offers.
 */
final class NodeAccess {
    private NodeAccess() {
    }

    static boolean admits(GpuNode node, DemandShape shape) {
        Map<String, String> labels = node.labels();
        for (Map.Entry<String, String> e : shape.nodeSelector().entrySet()) {
            if (!Objects.equals(labels.get(e.getKey()), e.getValue())) {
                return false;
            }
        }
        if (!shape.requiredAffinity().isEmpty()) {
            boolean any = false;
            for (NodeSelectorTerm t : shape.requiredAffinity()) {
                if (t.matches(labels)) {
                    any = true;
                    break;
                }
            }
            if (!any) {
                return false;
            }
        }
        for (Taint taint : node.taints()) {
            if (taint.isHard() && !tolerated(taint, shape)) {
                return false;
            }
        }
        return true;
    }

    private static boolean tolerated(Taint taint, DemandShape shape) {
        for (Toleration t : shape.tolerations()) {
            if (t.tolerates(taint)) {
                return true;
            }
        }
        return false;
    }
}
