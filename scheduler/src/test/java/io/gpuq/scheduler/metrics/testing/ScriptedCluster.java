package io.gpuq.scheduler.metrics.testing;

import io.gpuq.scheduler.cycle.CycleObserver;
import io.gpuq.scheduler.cycle.CycleReport;
import io.gpuq.scheduler.engine.EngineSettings;
import io.gpuq.scheduler.engine.SchedulingEngine;
import io.gpuq.scheduler.engine.model.ClusterSnapshot;
import io.gpuq.scheduler.engine.model.CycleResult;
import io.gpuq.scheduler.engine.model.Department;
import io.gpuq.scheduler.engine.model.EvictionDecision;
import io.gpuq.scheduler.engine.model.GpuDemand;
import io.gpuq.scheduler.engine.model.GpuNode;
import io.gpuq.scheduler.engine.model.PlacementDecision;
import io.gpuq.scheduler.engine.model.PodRequest;
import io.gpuq.scheduler.engine.model.Project;
import io.gpuq.scheduler.engine.model.RunningWorkload;
import io.gpuq.scheduler.engine.model.Workload;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A cluster driven by the real scheduling engine, as the cluster adapter drives it: placements become
 * running, evictions go back to pending, and each cycle is reported to an observer with the clock's time.
 */
public final class ScriptedCluster {
    public final List<GpuNode> nodes = new ArrayList<>();
    public final List<Department> departments = new ArrayList<>();
    public final List<Project> projects = new ArrayList<>();
    public final Map<String, Workload> pending = new LinkedHashMap<>();
    public final Map<String, RunningWorkload> running = new LinkedHashMap<>();
    private final SchedulingEngine engine = new SchedulingEngine(EngineSettings.defaults());
    private final MutableClock clock;
    private final CycleObserver observer;
    private long order;

    public ScriptedCluster(MutableClock clock, CycleObserver observer) {
        this.clock = clock;
        this.observer = observer;
    }

    /** The seed's 16 GPUs: two 8×H100 spot nodes in the default pool; deserved 8/4/2, weights 3:1:1. */
    public static ScriptedCluster seed(MutableClock clock, CycleObserver observer) {
        return new ScriptedCluster(clock, observer)
                .node("h100-0", "default", "H100", 8, "spot", Map.of())
                .node("h100-1", "default", "H100", 8, "spot", Map.of())
                .project("team-training", 8, 3)
                .project("team-inference", 4, 1)
                .project("team-research", 2, 1);
    }

    public ScriptedCluster node(String name, String pool, String model, int gpus, String capacityType,
                                Map<String, String> labels) {
        nodes.add(new GpuNode(name, pool, model, 81920, gpus, -1, -1, capacityType, labels, List.of(), true, false));
        return this;
    }

    public ScriptedCluster project(String name, double deserved, double weight) {
        projects.add(new Project(name, null, Map.of(GpuNode.DEFAULT_POOL, deserved), -1, weight, 100, order++));
        return this;
    }

    /** {@code pods} pods of {@code gpu} each, submitted now, preemptible train work. */
    public Workload submit(String id, String project, int pods, GpuDemand gpu) {
        List<PodRequest> list = new ArrayList<>();
        for (int i = 0; i < pods; i++) {
            list.add(PodRequest.of(project + "/" + id + "-" + i, gpu, 0, 0));
        }
        Workload w = new Workload(id, project, null, "train", 50, true, clock.millis(), order++, pods, list);
        pending.put(id, w);
        return w;
    }

    public Workload submitWhole(String id, String project, int pods, int gpusPerPod) {
        return submit(id, project, pods, GpuDemand.whole(gpusPerPod));
    }

    /** Runs one engine cycle at the clock's time, applies its decisions and reports it. */
    public CycleResult cycle() {
        ClusterSnapshot s = new ClusterSnapshot(clock.millis(), nodes, departments, projects,
                new ArrayList<>(pending.values()), new ArrayList<>(running.values()));
        CycleResult r = engine.cycle(s);
        for (EvictionDecision e : r.evictions()) {
            RunningWorkload rw = running.remove(e.workloadId());
            pending.put(e.workloadId(), rw.workload());
        }
        for (PlacementDecision p : r.placements()) {
            Workload w = pending.remove(p.workloadId());
            running.put(p.workloadId(), new RunningWorkload(w, p.pods(), clock.millis()));
        }
        observer.cycleCompleted(new CycleReport(clock.instant(), s, r, Duration.ofMillis(3)));
        return r;
    }

    public double allocated(String project) {
        double sum = 0;
        for (RunningWorkload r : running.values()) {
            if (r.workload().project().equals(project)) {
                sum += r.gpuMilli() / 1000.0;
            }
        }
        return sum;
    }

    public void complete(String id) {
        running.remove(id);
        pending.remove(id);
    }

    /** Deletes a project and every workload of it, as deleting its namespace would. */
    public void deleteProject(String name) {
        projects.removeIf(p -> p.name().equals(name));
        pending.values().removeIf(w -> w.project().equals(name));
        running.values().removeIf(r -> r.workload().project().equals(name));
    }

    public void deleteNode(String name) {
        nodes.removeIf(n -> n.name().equals(name));
    }
}
