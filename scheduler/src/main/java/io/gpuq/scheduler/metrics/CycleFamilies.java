package io.gpuq.scheduler.metrics;

import io.gpuq.scheduler.engine.model.GpuDemand;
import io.gpuq.scheduler.engine.model.GpuNode;
import io.gpuq.scheduler.engine.model.PendingReason;
import io.gpuq.scheduler.engine.model.PodAllocation;
import io.gpuq.scheduler.engine.model.PodRequest;
import io.gpuq.scheduler.engine.model.PoolShare;
import io.gpuq.scheduler.engine.model.Project;
import io.gpuq.scheduler.engine.model.QueueStatus;
import io.gpuq.scheduler.engine.model.RunningWorkload;
import io.gpuq.scheduler.engine.model.Workload;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

import java.math.BigDecimal;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The gauge families that describe the cluster after a cycle (DESIGN §5: allocation, quotas, fair share,
 * queue, nodes, workloads), built once per cycle into immutable snapshots that every scrape returns as
 * they are. Anything deleted from the cluster is simply not in the next cycle's families, so its series
 * are gone.
 */
final class CycleFamilies {

    private static final double MILLI = GpuDemand.MILLI;
    /** The {@code reason} label of each pending code, as pod conditions spell it. */
    private static final Map<PendingReason.Code, String> REASONS = new EnumMap<>(PendingReason.Code.class);

    static {
        for (PendingReason.Code code : PendingReason.Code.values()) {
            REASONS.put(code, new PendingReason(code, "").reason());
        }
    }

    private CycleFamilies() {
    }

    static MetricSnapshots build(CycleView view, Function<String, String> namespaceOfProject) {
        GaugeFamily allocated = new GaugeFamily(MetricNames.ALLOCATED_GPUS,
                "GPUs allocated to the project in the node pool (fractions included).", "project", "department", "nodepool");
        GaugeFamily allocatedPerProject = new GaugeFamily(MetricNames.ALLOCATED_GPU_COUNT_PER_PROJECT,
                "GPUs allocated to the project, all node pools.", "project");
        GaugeFamily pendingInQueue = new GaugeFamily(MetricNames.PENDING_OTHER_IN_QUEUE,
                "Workloads of the project waiting to be scheduled.", "project");
        GaugeFamily guaranteed = new GaugeFamily(MetricNames.PROJECT_GUARANTEED_GPUS,
                "The project's deserved (guaranteed) GPUs, all node pools.", "project");
        GaugeFamily projectInfo = new GaugeFamily(MetricNames.PROJECT_INFO,
                "One series per project: its department, namespace and guaranteed GPUs.",
                "project", "department", "namespace", "gpu_guaranteed_quota");
        GaugeFamily queueInfo = new GaugeFamily(MetricNames.QUEUE_INFO,
                "One series per project queue and node pool: its department and guaranteed GPUs there.",
                "queue_name", "nodepool", "department", "gpu_guaranteed_quota");
        GaugeFamily fairShare = new GaugeFamily(MetricNames.PROJECT_FAIR_SHARE_GPUS,
                "The project's fair share of GPUs in the node pool, recomputed every cycle.", "project", "nodepool");
        GaugeFamily deserved = new GaugeFamily(MetricNames.PROJECT_DESERVED_GPUS,
                "The project's deserved GPUs in the node pool.", "project", "nodepool");
        GaugeFamily pendingByReason = new GaugeFamily(MetricNames.PENDING_WORKLOADS,
                "Pending workloads of the project by the reason they wait.", "project", "reason");

        Map<String, Map<String, Long>> milliByProjectAndPool = new HashMap<>();
        view.milliByNodeAndProject.forEach((node, byProject) -> {
            GpuNode n = view.nodeByName.get(node);
            if (n != null) {
                byProject.forEach((project, milli) -> milliByProjectAndPool
                        .computeIfAbsent(project, k -> new HashMap<>()).merge(n.pool(), milli, Long::sum));
            }
        });
        Map<String, Map<PendingReason.Code, Integer>> reasons = pendingByReason(view);

        for (Project p : view.projects) {
            QueueStatus status = view.result.projects().get(p.name());
            Map<String, Long> held = milliByProjectAndPool.getOrDefault(p.name(), Map.of());
            Set<String> pools = new TreeSet<>(p.deservedByPool().keySet());
            if (status != null) {
                pools.addAll(status.pools().keySet());
            }
            pools.addAll(held.keySet());
            long total = 0;
            for (String pool : pools) {
                long milli = held.getOrDefault(pool, 0L);
                total += milli;
                allocated.add(milli / MILLI, p.name(), p.department(), pool);
                PoolShare share = status == null ? null : status.pools().get(pool);
                double poolDeserved = share != null ? share.deservedGpus()
                        : Math.max(0, p.deservedByPool().getOrDefault(pool, 0.0));
                deserved.add(poolDeserved, p.name(), pool);
                fairShare.add(share != null ? share.fairShareGpus() : 0, p.name(), pool);
                queueInfo.add(1, p.name(), pool, p.department(), quota(poolDeserved));
            }
            allocatedPerProject.add(total / MILLI, p.name());
            pendingInQueue.add(status != null ? status.pendingWorkloads() : 0, p.name());
            double projectDeserved = status != null ? status.deservedGpus() : positiveSum(p.deservedByPool());
            guaranteed.add(projectDeserved, p.name());
            projectInfo.add(1, p.name(), p.department(), namespaceOfProject.apply(p.name()), quota(projectDeserved));
            Map<PendingReason.Code, Integer> byCode = reasons.getOrDefault(p.name(), Map.of());
            REASONS.forEach((code, reason) -> pendingByReason.add(byCode.getOrDefault(code, 0), p.name(), reason));
        }

        GaugeFamily gpusPerNode = new GaugeFamily(MetricNames.GPU_COUNT_PER_NODE,
                "GPUs of the node, with its GPU model and state.", "node", "modelName", "ready", "schedulable");
        GaugeFamily allocatedPerNode = new GaugeFamily(MetricNames.ALLOCATED_GPU_COUNT_PER_NODE,
                "GPUs of the node allocated to workloads (fractions included).", "node");
        GaugeFamily fragmented = new GaugeFamily(MetricNames.FRAGMENTED_GPUS_PER_NODE,
                "Free parts of the node's partly allocated devices, in GPUs: capacity only fractional pods can use.",
                "node");
        for (GpuNode n : view.nodes) {
            Map<Integer, Integer> devices = view.milliByNodeAndDevice.getOrDefault(n.name(), Map.of());
            if (n.gpuCount() == 0 && devices.isEmpty()) {
                continue;
            }
            long used = 0;
            long free = 0;
            for (int milli : devices.values()) {
                used += milli;
                if (milli < GpuDemand.MILLI) {
                    free += GpuDemand.MILLI - milli;
                }
            }
            gpusPerNode.add(n.gpuCount(), n.name(), n.gpuModel(), Boolean.toString(n.ready()),
                    Boolean.toString(!n.unschedulable()));
            allocatedPerNode.add(used / MILLI, n.name());
            fragmented.add(free / MILLI, n.name());
        }

        GaugeFamily allocatedPerWorkload = new GaugeFamily(MetricNames.ALLOCATED_GPU_COUNT_PER_WORKLOAD,
                "GPUs allocated to the running workload.", "workload_name", "workload_type", "project");
        GaugeFamily requestedPerWorkload = new GaugeFamily(MetricNames.REQUESTED_GPUS_PER_WORKLOAD,
                "GPUs the workload asks for, running or pending.", "workload_name", "workload_type", "project");
        GaugeFamily waitPerWorkload = new GaugeFamily(MetricNames.WAIT_TIME_SECONDS_PER_WORKLOAD,
                "Seconds from submission to start for a running workload, or waited so far for a pending one.",
                "workload_name", "project");
        long largestDeviceMemory = largestDeviceMemory(view.nodes);
        for (RunningWorkload r : view.running) {
            Workload w = r.workload();
            double gpus = r.gpuMilli() / MILLI;
            allocatedPerWorkload.add(gpus, w.id(), w.type(), w.project());
            requestedPerWorkload.add(requested(w, r.allocations(), largestDeviceMemory), w.id(), w.type(), w.project());
            waitPerWorkload.add(seconds(r.startedAt() - w.submitTime()), w.id(), w.project());
        }
        for (Workload w : view.pending) {
            requestedPerWorkload.add(requested(w, List.of(), largestDeviceMemory), w.id(), w.type(), w.project());
            waitPerWorkload.add(seconds(view.atMillis - w.submitTime()), w.id(), w.project());
        }

        return new MetricSnapshots(allocated.build(), allocatedPerProject.build(), pendingInQueue.build(),
                guaranteed.build(), projectInfo.build(), queueInfo.build(), fairShare.build(), deserved.build(),
                pendingByReason.build(), gpusPerNode.build(), allocatedPerNode.build(), fragmented.build(),
                allocatedPerWorkload.build(), requestedPerWorkload.build(), waitPerWorkload.build());
    }

    private static Map<String, Map<PendingReason.Code, Integer>> pendingByReason(CycleView view) {
        Map<String, String> projectOf = new HashMap<>();
        for (Workload w : view.pending) {
            projectOf.put(w.id(), w.project());
        }
        Map<String, Map<PendingReason.Code, Integer>> out = new HashMap<>();
        view.result.pendingReasons().forEach((workload, reason) -> {
            String project = projectOf.get(workload);
            if (project != null) {
                out.computeIfAbsent(project, k -> new EnumMap<>(PendingReason.Code.class))
                        .merge(reason.code(), 1, Integer::sum);
            }
        });
        return out;
    }

    /**
     * What a workload asks for in GPUs. A running pod asks for what it holds; a pending memory request is
     * counted as its share of the largest device in the cluster, the least it could take.
     */
    private static double requested(Workload w, List<PodAllocation> held, long largestDeviceMemory) {
        Map<String, Long> heldByPod = new HashMap<>();
        for (PodAllocation a : held) {
            heldByPod.put(a.pod(), a.gpuMilli());
        }
        long milli = 0;
        for (PodRequest pod : w.pods()) {
            GpuDemand gpu = pod.gpu();
            if (gpu.kind() == GpuDemand.Kind.MEMORY) {
                Long h = heldByPod.get(pod.name());
                milli += h != null ? h : (long) Math.min(gpu.milliPerDeviceOn(largestDeviceMemory), GpuDemand.MILLI)
                        * gpu.devices();
            } else {
                milli += gpu.totalMilliOn(largestDeviceMemory);
            }
        }
        return milli / MILLI;
    }

    private static long largestDeviceMemory(List<GpuNode> nodes) {
        long max = 0;
        for (GpuNode n : nodes) {
            max = Math.max(max, n.gpuMemoryMiB());
        }
        return max;
    }

    private static double seconds(long millis) {
        return Math.max(0, millis) / 1000.0;
    }

    private static double positiveSum(Map<String, Double> byPool) {
        double sum = 0;
        for (double d : byPool.values()) {
            sum += Math.max(0, d);
        }
        return sum;
    }

    /** A quota as a label value: {@code 8}, {@code 0.5}. */
    static String quota(double gpus) {
        return BigDecimal.valueOf(gpus).stripTrailingZeros().toPlainString();
    }

    /** Projects known after a cycle, in snapshot order. */
    static Set<String> projectNames(CycleView view) {
        Set<String> names = new LinkedHashSet<>();
        for (Project p : view.projects) {
            names.add(p.name());
        }
        return names;
    }
}
