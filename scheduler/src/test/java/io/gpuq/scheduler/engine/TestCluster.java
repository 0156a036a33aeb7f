package io.gpuq.scheduler.engine;

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
import io.gpuq.scheduler.engine.model.Taint;
import io.gpuq.scheduler.engine.model.Workload;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A tiny in-memory cluster for engine tests: holds pending and running workloads across cycles the way
 * the simulator and the cluster adapter do (placements become running, evictions go back to pending).
 */
final class TestCluster {
    final List<GpuNode> nodes = new ArrayList<>();
    final List<Department> departments = new ArrayList<>();
    final List<Project> projects = new ArrayList<>();
    final Map<String, Workload> pending = new LinkedHashMap<>();
    final Map<String, RunningWorkload> running = new LinkedHashMap<>();
    final List<EvictionDecision> evictions = new ArrayList<>();
    private final SchedulingEngine engine;
    private long order;
    long time;

    TestCluster() {
        this(EngineSettings.defaults());
    }

    TestCluster(EngineSettings settings) {
        this.engine = new SchedulingEngine(settings);
    }

    TestCluster node(String name, String pool, int gpus) {
        nodes.add(GpuNode.simple(name, pool, "H100", 81920, gpus, -1, -1));
        return this;
    }

    TestCluster node(GpuNode n) {
        nodes.add(n);
        return this;
    }

    TestCluster taintedNode(String name, int gpus, Taint taint) {
        nodes.add(new GpuNode(name, null, "H100", 81920, gpus, -1, -1, "", Map.of(), List.of(taint), true, false));
        return this;
    }

    TestCluster department(String name, Double deserved, double max) {
        departments.add(new Department(name, deserved, max, 1, 100, order++));
        return this;
    }

    TestCluster project(String name, double deserved, double weight) {
        return project(name, null, Map.of(GpuNode.DEFAULT_POOL, deserved), weight, -1);
    }

    TestCluster project(String name, String department, Map<String, Double> pools, double weight, double max) {
        projects.add(new Project(name, department, pools, max, weight, 100, order++));
        return this;
    }

    Workload submit(String id, String project, String pool, int priority, int pods, GpuDemand gpu) {
        List<PodRequest> list = new ArrayList<>();
        for (int i = 0; i < pods; i++) {
            list.add(PodRequest.of(id + "-" + i, gpu, 0, 0));
        }
        Workload w = new Workload(id, project, pool, priority >= 100 ? "interactive" : "train", priority,
                priority < 100, time, order++, pods, list);
        pending.put(id, w);
        return w;
    }

    Workload submitTrain(String id, String project, int pods, int gpusPerPod) {
        return submit(id, project, (String) null, 50, pods, GpuDemand.whole(gpusPerPod));
    }

    CycleResult cycle() {
        ClusterSnapshot s = new ClusterSnapshot(time, nodes, departments, projects,
                new ArrayList<>(pending.values()), new ArrayList<>(running.values()));
        CycleResult r = engine.cycle(s);
        for (EvictionDecision e : r.evictions()) {
            RunningWorkload rw = running.remove(e.workloadId());
            pending.put(e.workloadId(), rw.workload());
            evictions.add(e);
        }
        for (PlacementDecision p : r.placements()) {
            Workload w = pending.remove(p.workloadId());
            running.put(p.workloadId(), new RunningWorkload(w, p.pods(), time));
        }
        time++;
        return r;
    }

    double allocated(String project) {
        double sum = 0;
        for (RunningWorkload r : running.values()) {
            if (r.workload().project().equals(project)) {
                sum += r.gpuMilli() / 1000.0;
            }
        }
        return sum;
    }

    void complete(String id) {
        running.remove(id);
    }
}
