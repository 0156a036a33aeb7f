package io.gpuq.scheduler.sim;

import io.gpuq.scheduler.engine.model.ClusterSnapshot;
import io.gpuq.scheduler.engine.model.CycleResult;
import io.gpuq.scheduler.engine.model.Department;
import io.gpuq.scheduler.engine.model.DeviceShare;
import io.gpuq.scheduler.engine.model.EvictionDecision;
import io.gpuq.scheduler.engine.model.GpuDemand;
import io.gpuq.scheduler.engine.model.GpuNode;
import io.gpuq.scheduler.engine.model.PendingReason;
import io.gpuq.scheduler.engine.model.PlacementDecision;
import io.gpuq.scheduler.engine.model.PodAllocation;
import io.gpuq.scheduler.engine.model.PodRequest;
import io.gpuq.scheduler.engine.model.PoolShare;
import io.gpuq.scheduler.engine.model.Project;
import io.gpuq.scheduler.engine.model.QueueStatus;
import io.gpuq.scheduler.engine.model.RunningWorkload;
import io.gpuq.scheduler.engine.model.Workload;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A deliberately simple stand-in for the engine, so the simulator's own bookkeeping (time, events,
 * evictions, cost, output) is tested independently of scheduling policy: scripted evictions, then
 * first-fit placement of pending workloads in submission order, all pods or none. Queue status is
 * allocation and pending per project, with fair share reported equal to deserved.
 */
final class FirstFitEngine implements CycleRunner {
    private final Map<Long, List<String>> evictions = new HashMap<>();
    final List<ClusterSnapshot> seen = new ArrayList<>();

    /** At the cycle at {@code time}, evict {@code workload} if it is running. */
    FirstFitEngine evictAt(long time, String workload) {
        evictions.computeIfAbsent(time, t -> new ArrayList<>()).add(workload);
        return this;
    }

    @Override
    public CycleResult cycle(ClusterSnapshot s) {
        seen.add(s);
        Map<String, int[]> used = new HashMap<>();
        for (GpuNode n : s.nodes()) {
            used.put(n.name(), new int[n.gpuCount()]);
        }
        List<EvictionDecision> evicted = new ArrayList<>();
        List<RunningWorkload> running = new ArrayList<>();
        List<String> toEvict = evictions.getOrDefault(s.time(), List.of());
        for (RunningWorkload r : s.running()) {
            if (toEvict.contains(r.workload().id())) {
                evicted.add(new EvictionDecision(r.workload().id(), r.workload().project(),
                        EvictionDecision.Kind.RECLAIM, "urgent-job", "other-team", "the test said so"));
            } else {
                running.add(r);
                r.allocations().forEach(a -> occupy(used, a));
            }
        }
        List<Workload> pending = new ArrayList<>(s.pending());
        pending.sort(Comparator.comparingLong(Workload::submitTime).thenComparingLong(Workload::order));
        List<PlacementDecision> placements = new ArrayList<>();
        Map<String, PendingReason> reasons = new LinkedHashMap<>();
        List<Workload> stillPending = new ArrayList<>();
        for (Workload w : pending) {
            List<PodAllocation> pods = placeAll(w, s.nodes(), used);
            if (pods == null) {
                reasons.put(w.id(), new PendingReason(PendingReason.Code.NO_ROOM_IN_POOL, "first fit found no room"));
                stillPending.add(w);
            } else {
                placements.add(new PlacementDecision(w.id(), pods));
                running.add(new RunningWorkload(w, pods, s.time()));
            }
        }
        for (EvictionDecision e : evicted) {
            reasons.put(e.workloadId(), new PendingReason(PendingReason.Code.OVER_QUOTA, "evicted"));
        }
        Map<String, QueueStatus> projects = statuses(s, running, stillPending);
        return new CycleResult(placements, evicted, projects, departments(s, projects), reasons);
    }

    private static void occupy(Map<String, int[]> used, PodAllocation a) {
        for (DeviceShare d : a.devices()) {
            used.get(a.node())[d.index()] += d.milli();
        }
    }

    private static List<PodAllocation> placeAll(Workload w, List<GpuNode> nodes, Map<String, int[]> used) {
        Map<String, int[]> trial = new HashMap<>();
        used.forEach((k, v) -> trial.put(k, v.clone()));
        List<PodAllocation> out = new ArrayList<>();
        for (PodRequest pod : w.pods()) {
            PodAllocation a = place(pod, nodes, trial);
            if (a == null) {
                return null;
            }
            out.add(a);
        }
        used.putAll(trial);
        return out;
    }

    private static PodAllocation place(PodRequest pod, List<GpuNode> nodes, Map<String, int[]> used) {
        for (GpuNode n : nodes) {
            if (!pod.nodeSelector().entrySet().stream().allMatch(e -> e.getValue().equals(n.labels().get(e.getKey())))
                    || (!pod.requiredAffinity().isEmpty()
                    && pod.requiredAffinity().stream().noneMatch(t -> t.matches(n.labels())))) {
                continue;
            }
            int[] u = used.get(n.name());
            List<DeviceShare> shares = new ArrayList<>();
            GpuDemand g = pod.gpu();
            if (g.kind() == GpuDemand.Kind.WHOLE) {
                for (int d = 0; d < u.length && shares.size() < g.wholeGpus(); d++) {
                    if (u[d] == 0) {
                        shares.add(new DeviceShare(d, GpuDemand.MILLI));
                    }
                }
                if (shares.size() < g.wholeGpus()) {
                    continue;
                }
            } else if (g.isShared()) {
                int m = g.milliPerDeviceOn(n.gpuMemoryMiB());
                for (int d = 0; d < u.length && shares.size() < g.devices(); d++) {
                    if (u[d] + m <= GpuDemand.MILLI) {
                        shares.add(new DeviceShare(d, m));
                    }
                }
                if (shares.size() < g.devices()) {
                    continue;
                }
            }
            for (DeviceShare d : shares) {
                u[d.index()] += d.milli();
            }
            return new PodAllocation(pod.name(), n.name(), shares, pod.cpuMillis(), pod.memoryMiB());
        }
        return null;
    }

    /** Each department's status is the sum of its projects'. */
    private static Map<String, QueueStatus> departments(ClusterSnapshot s, Map<String, QueueStatus> projects) {
        Map<String, QueueStatus> out = new LinkedHashMap<>();
        for (Department d : s.departments()) {
            double deserved = 0;
            double allocated = 0;
            double nonPreemptible = 0;
            double pending = 0;
            int pendingCount = 0;
            Map<String, PoolShare> pools = new LinkedHashMap<>();
            for (Project p : s.projects()) {
                if (!p.department().equals(d.name())) {
                    continue;
                }
                QueueStatus q = projects.get(p.name());
                deserved += q.deservedGpus();
                allocated += q.allocatedGpus();
                nonPreemptible += q.allocatedNonPreemptibleGpus();
                pending += q.pendingGpus();
                pendingCount += q.pendingWorkloads();
                q.pools().forEach((pool, share) -> pools.merge(pool, share, (a, b) -> new PoolShare(
                        a.deservedGpus() + b.deservedGpus(), a.fairShareGpus() + b.fairShareGpus(),
                        a.allocatedGpus() + b.allocatedGpus())));
            }
            out.put(d.name(), new QueueStatus(d.name(), deserved, deserved, allocated, nonPreemptible, pending,
                    pendingCount, pools));
        }
        return out;
    }

    private static Map<String, QueueStatus> statuses(ClusterSnapshot s, List<RunningWorkload> running,
                                                     List<Workload> pending) {
        Map<String, String> poolOf = new HashMap<>();
        s.nodes().forEach(n -> poolOf.put(n.name(), n.pool()));
        Map<String, QueueStatus> out = new LinkedHashMap<>();
        for (Project p : s.projects()) {
            double deserved = p.deservedByPool().values().stream().mapToDouble(Double::doubleValue).sum();
            Map<String, Double> allocatedByPool = new LinkedHashMap<>();
            p.deservedByPool().keySet().forEach(pool -> allocatedByPool.put(pool, 0.0));
            double allocated = 0;
            double nonPreemptible = 0;
            for (RunningWorkload r : running) {
                if (!r.workload().project().equals(p.name())) {
                    continue;
                }
                for (PodAllocation a : r.allocations()) {
                    double g = a.gpuMilli() / 1000.0;
                    allocated += g;
                    allocatedByPool.merge(poolOf.get(a.node()), g, Double::sum);
                    if (!r.workload().preemptible()) {
                        nonPreemptible += g;
                    }
                }
            }
            double pendingGpus = 0;
            int pendingCount = 0;
            for (Workload w : pending) {
                if (w.project().equals(p.name())) {
                    pendingCount++;
                    for (PodRequest pod : w.pods()) {
                        pendingGpus += pod.gpu().totalMilliOn(0) / 1000.0;
                    }
                }
            }
            Map<String, PoolShare> pools = new LinkedHashMap<>();
            allocatedByPool.forEach((pool, a) -> {
                double d = p.deservedByPool().getOrDefault(pool, 0.0);
                pools.put(pool, new PoolShare(d, d, a));
            });
            out.put(p.name(), new QueueStatus(p.name(), deserved, deserved, allocated, nonPreemptible, pendingGpus,
                    pendingCount, pools));
        }
        return out;
    }
}
