package io.gpuq.scheduler.utilization;

import java.util.HashMap;
import java.util.Map;

/**
 * Running pods by name, to attribute DCGM samples to projects. Pod names are {@code namespace/name} as
 * the cluster adapter spells them, or bare names where there are no namespaces (the simulator); a sample
 * is looked up by {@code namespace/pod} first, then by {@code pod}.
 */
public final class PodShares {

    public static final PodShares NONE = new PodShares(Map.of());

    private final Map<String, PodShare> byName;

    public PodShares(Map<String, PodShare> byName) {
        this.byName = Map.copyOf(new HashMap<>(byName));
    }

    PodShare find(String namespace, String pod) {
        if (pod == null || pod.isEmpty()) {
            return null;
        }
        if (namespace != null && !namespace.isEmpty()) {
            PodShare s = byName.get(namespace + "/" + pod);
            if (s != null) {
                return s;
            }
        }
        return byName.get(pod);
    }

    public int size() {
        return byName.size();
    }
}
