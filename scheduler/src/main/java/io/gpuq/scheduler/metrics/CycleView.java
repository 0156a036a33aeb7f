package io.gpuq.scheduler.metrics;

import io.gpuq.scheduler.cost.GpuUsage;
import io.gpuq.scheduler.cycle.CycleReport;
import io.gpuq.scheduler.engine.model.CycleResult;
import io.gpuq.scheduler.engine.model.DeviceShare;
import io.gpuq.scheduler.engine.model.EvictionDecision;
import io.gpuq.scheduler.engine.model.GpuNode;
import io.gpuq.scheduler.engine.model.PlacementDecision;
import io.gpuq.scheduler.engine.model.PodAllocation;
import io.gpuq.scheduler.engine.model.Project;
import io.gpuq.scheduler.engine.model.RunningWorkload;
import io.gpuq.scheduler.engine.model.Workload;
import io.gpuq.scheduler.utilization.PodShare;
import io.gpuq.scheduler.utilization.PodShares;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The cluster as it stands after one cycle: the snapshot's running workloads minus the evicted ones plus
 * the placements (which run from the report's time on), the workloads still pending, and per node what
 * each project holds. Immutable; built once per cycle and read by every metric family.
 */
final class CycleView {
    final long atMillis;
    final CycleResult result;
    final List<GpuNode> nodes;
    final Map<String, GpuNode> nodeByName;
    final List<Project> projects;
    final List<RunningWorkload> running;
    final List<Workload> pending;
    /** node → project → milli-GPUs held. */
    final Map<String, Map<String, Long>> milliByNodeAndProject;
    /** node → device index → milli-GPUs held. */
    final Map<String, Map<Integer, Integer>> milliByNodeAndDevice;

    private CycleView(CycleReport report) {
        atMillis = report.at().toEpochMilli();
        result = report.result();
        nodes = report.snapshot().nodes();
        projects = report.snapshot().projects();
        Map<String, GpuNode> byName = new LinkedHashMap<>();
        for (GpuNode n : nodes) {
            byName.put(n.name(), n);
        }
        nodeByName = Collections.unmodifiableMap(byName);

        Set<String> evicted = new HashSet<>();
        for (EvictionDecision e : result.evictions()) {
            evicted.add(e.workloadId());
        }
        Map<String, Workload> waiting = new LinkedHashMap<>();
        for (Workload w : report.snapshot().pending()) {
            waiting.put(w.id(), w);
        }
        List<RunningWorkload> run = new ArrayList<>();
        List<Workload> back = new ArrayList<>();
        for (RunningWorkload r : report.snapshot().running()) {
            if (evicted.contains(r.workload().id())) {
                back.add(r.workload());
            } else {
                run.add(r);
            }
        }
        for (PlacementDecision p : result.placements()) {
            Workload w = waiting.remove(p.workloadId());
            if (w != null) {
                run.add(new RunningWorkload(w, p.pods(), atMillis));
            }
        }
        List<Workload> still = new ArrayList<>(waiting.values());
        still.addAll(back);
        running = List.copyOf(run);
        pending = List.copyOf(still);

        Map<String, Map<String, Long>> byProject = new HashMap<>();
        Map<String, Map<Integer, Integer>> byDevice = new HashMap<>();
        for (RunningWorkload r : running) {
            for (PodAllocation a : r.allocations()) {
                if (a.gpuMilli() == 0) {
                    continue;
                }
                byProject.computeIfAbsent(a.node(), k -> new HashMap<>())
                        .merge(r.workload().project(), a.gpuMilli(), Long::sum);
                Map<Integer, Integer> devices = byDevice.computeIfAbsent(a.node(), k -> new HashMap<>());
                for (DeviceShare d : a.devices()) {
                    devices.merge(d.index(), d.milli(), Integer::sum);
                }
            }
        }
        milliByNodeAndProject = byProject;
        milliByNodeAndDevice = byDevice;
    }

    static CycleView of(CycleReport report) {
        return new CycleView(report);
    }

    /** Who holds which GPUs, for cost accrual. */
    GpuUsage usage() {
        return new GpuUsage(nodes, projects, milliByNodeAndProject);
    }

    /** Running pods with their project and device shares, for utilization attribution. */
    PodShares podShares() {
        Map<String, PodShare> pods = new HashMap<>();
        for (RunningWorkload r : running) {
            for (PodAllocation a : r.allocations()) {
                if (a.devices().isEmpty()) {
                    continue;
                }
                Map<Integer, Integer> devices = new HashMap<>();
                for (DeviceShare d : a.devices()) {
                    devices.merge(d.index(), d.milli(), Integer::sum);
                }
                pods.put(a.pod(), new PodShare(r.workload().project(), devices));
            }
        }
        return new PodShares(pods);
    }
}
