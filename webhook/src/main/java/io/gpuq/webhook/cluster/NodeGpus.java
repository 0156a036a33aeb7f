package io.gpuq.webhook.cluster;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Quantity;
import io.gpuq.api.Labels;
import io.gpuq.api.Names;
import io.gpuq.webhook.ClusterView.PoolGpus;

import java.math.BigDecimal;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * GPU facts of nodes as NVIDIA GPU feature discovery and the device plugin publish them: the pool from
 * {@code runai/node-pool}, the model from {@code nvidia.com/gpu.product}, memory per GPU (MiB) from
 * {@code nvidia.com/gpu.memory}, and the count from the allocatable {@code nvidia.com/gpu} (what the
 * device plugin can actually hand out) or, without it, {@code nvidia.com/gpu.count}.
 */
final class NodeGpus {

    /** What of a node matters to pools; two nodes with equal facts give equal summaries. */
    record Facts(String pool, String model, long memoryMiB, int gpus) {
    }

    private NodeGpus() {
    }

    static Facts of(Node node) {
        Map<String, String> labels = node.getMetadata() == null || node.getMetadata().getLabels() == null
                ? Map.of() : node.getMetadata().getLabels();
        String pool = labels.get(Labels.NODE_POOL);
        if (pool == null || pool.isBlank()) {
            pool = Names.DEFAULT_NODE_POOL;
        }
        String model = labels.get(Labels.GPU_PRODUCT);
        long memory = parseLong(labels.get(Labels.GPU_MEMORY_MIB));
        int gpus = allocatableGpus(node);
        if (gpus < 0) {
            gpus = (int) Math.max(0, Math.min(Integer.MAX_VALUE, parseLong(labels.get(Labels.GPU_COUNT))));
        }
        return new Facts(pool, model == null || model.isBlank() ? null : model, Math.max(0, memory), gpus);
    }

    /** Summaries per pool, by pool name; every pool with at least one node appears, GPUs or not. */
    static Map<String, PoolGpus> summarize(Collection<Node> nodes) {
        Map<String, Set<String>> models = new TreeMap<>();
        Map<String, Long> memory = new TreeMap<>();
        Map<String, Integer> gpus = new TreeMap<>();
        for (Node node : nodes) {
            Facts f = of(node);
            models.computeIfAbsent(f.pool(), p -> new TreeSet<>());
            if (f.model() != null) {
                models.get(f.pool()).add(f.model());
            }
            memory.merge(f.pool(), f.memoryMiB(), Math::max);
            gpus.merge(f.pool(), f.gpus(), (a, b) -> (int) Math.min(Integer.MAX_VALUE, (long) a + b));
        }
        Map<String, PoolGpus> out = new TreeMap<>();
        for (String pool : models.keySet()) {
            out.put(pool, new PoolGpus(pool, Set.copyOf(models.get(pool)), memory.get(pool), gpus.get(pool)));
        }
        return Map.copyOf(out);
    }

    static boolean sameFacts(Node a, Node b) {
        return Objects.equals(of(a), of(b));
    }

    /** -1 when the node does not advertise the resource. */
    private static int allocatableGpus(Node node) {
        if (node.getStatus() == null || node.getStatus().getAllocatable() == null) {
            return -1;
        }
        Quantity q = node.getStatus().getAllocatable().get(Names.GPU_RESOURCE);
        if (q == null) {
            return -1;
        }
        try {
            BigDecimal amount = q.getNumericalAmount();
            return amount.signum() < 0 ? 0 : amount.min(BigDecimal.valueOf(Integer.MAX_VALUE)).intValue();
        } catch (IllegalArgumentException | ArithmeticException e) {
            return -1;
        }
    }

    private static long parseLong(String s) {
        if (s == null) {
            return 0;
        }
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
