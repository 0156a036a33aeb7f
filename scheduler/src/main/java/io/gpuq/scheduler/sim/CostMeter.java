package io.gpuq.scheduler.sim;

import io.gpuq.scheduler.engine.model.GpuNode;
import io.gpuq.scheduler.engine.model.PodAllocation;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Integrates allocated GPU × time per project and node type. Usage is kept in exact milli-GPU-seconds
 * and priced only at the end, so amounts carry no floating-point drift however long the run.
 */
final class CostMeter {
    static final int SCALE = 6;
    private static final BigDecimal MILLI_SECONDS_PER_GPU_HOUR = BigDecimal.valueOf(1000L * 3600L);

    private final Function<String, GpuNode> nodes;
    /** project → node type → milli-GPU-seconds. */
    private final Map<String, Map<NodeType, Long>> usage = new LinkedHashMap<>();
    private final Map<String, Running> running = new HashMap<>();

    private record NodeType(String gpuModel, String capacityType) {
    }

    private record Running(String project, List<PodAllocation> pods, long since) {
    }

    CostMeter(Function<String, GpuNode> nodes) {
        this.nodes = nodes;
    }

    void start(String workload, String project, List<PodAllocation> pods, long time) {
        running.put(workload, new Running(project, pods, time));
    }

    void stop(String workload, long time) {
        Running r = running.remove(workload);
        if (r == null) {
            return;
        }
        long seconds = time - r.since();
        for (PodAllocation pod : r.pods()) {
            GpuNode n = nodes.apply(pod.node());
            NodeType type = new NodeType(n.gpuModel(), n.capacityType());
            usage.computeIfAbsent(r.project(), k -> new HashMap<>()).merge(type, pod.gpuMilli() * seconds, Long::sum);
        }
    }

    void stopAll(long time) {
        for (String w : List.copyOf(running.keySet())) {
            stop(w, time);
        }
    }

    /** Cost per project, for every project in {@code projects} (zero when it used nothing). */
    Map<String, ProjectCost> costs(List<String> projects, PriceTable prices) {
        Map<String, ProjectCost> out = new LinkedHashMap<>();
        for (String p : projects) {
            BigDecimal hours = BigDecimal.ZERO;
            BigDecimal amount = BigDecimal.ZERO;
            for (Map.Entry<NodeType, Long> e : usage.getOrDefault(p, Map.of()).entrySet()) {
                BigDecimal h = BigDecimal.valueOf(e.getValue());
                hours = hours.add(h);
                BigDecimal price = prices.perGpuHour(e.getKey().gpuModel(), e.getKey().capacityType());
                if (price != null) {
                    amount = amount.add(h.multiply(price));
                }
            }
            out.put(p, new ProjectCost(toHours(hours), toHours(amount), prices.currency()));
        }
        return out;
    }

    private static BigDecimal toHours(BigDecimal milliSeconds) {
        return milliSeconds.divide(MILLI_SECONDS_PER_GPU_HOUR, SCALE, RoundingMode.HALF_UP);
    }
}
