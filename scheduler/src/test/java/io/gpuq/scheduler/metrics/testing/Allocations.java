package io.gpuq.scheduler.metrics.testing;

import io.gpuq.scheduler.cycle.CycleReport;
import io.gpuq.scheduler.engine.model.ClusterSnapshot;
import io.gpuq.scheduler.engine.model.CycleResult;
import io.gpuq.scheduler.engine.model.DeviceShare;
import io.gpuq.scheduler.engine.model.GpuDemand;
import io.gpuq.scheduler.engine.model.GpuNode;
import io.gpuq.scheduler.engine.model.PodAllocation;
import io.gpuq.scheduler.engine.model.PodRequest;
import io.gpuq.scheduler.engine.model.Project;
import io.gpuq.scheduler.engine.model.RunningWorkload;
import io.gpuq.scheduler.engine.model.Workload;

import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Cycle reports with allocations written by hand, for scenarios whose amounts are known in advance. */
public final class Allocations {
    private Allocations() {
    }

    public static GpuNode node(String name, String pool, String model, String capacityType, int gpus,
                               Map<String, String> labels) {
        return new GpuNode(name, pool, model, 81920, gpus, -1, -1, capacityType, labels, List.of(), true, false);
    }

    public static Project project(String name, String department, Map<String, Double> deservedByPool) {
        return new Project(name, department, deservedByPool, -1, 1, 100, 0);
    }

    /** Whole devices {@code indices} of {@code node}, held by one pod named {@code namespace/id}. */
    public static RunningWorkload whole(String id, String project, String node, int... indices) {
        List<DeviceShare> devices = new ArrayList<>();
        for (int i : indices) {
            devices.add(new DeviceShare(i, GpuDemand.MILLI));
        }
        return running(id, project, node, GpuDemand.whole(indices.length), devices);
    }

    /** {@code milli} of device {@code index} of {@code node}. */
    public static RunningWorkload fraction(String id, String project, String node, int index, int milli) {
        return running(id, project, node, GpuDemand.fraction(milli, 1), List.of(new DeviceShare(index, milli)));
    }

    private static RunningWorkload running(String id, String project, String node, GpuDemand demand,
                                           List<DeviceShare> devices) {
        String pod = project + "/" + id;
        Workload w = new Workload(id, project, null, "train", 50, true, 0, 0, 1,
                List.of(PodRequest.of(pod, demand, 0, 0)));
        return new RunningWorkload(w, List.of(new PodAllocation(pod, node, devices, 0, 0)), 0);
    }

    /** A cycle at the clock's time that changed nothing: these workloads run, nothing is pending. */
    public static CycleReport report(InstantSource clock, List<GpuNode> nodes, List<Project> projects,
                                     List<RunningWorkload> running) {
        ClusterSnapshot s = new ClusterSnapshot(clock.millis(), nodes, List.of(), projects, List.of(), running);
        CycleResult r = new CycleResult(List.of(), List.of(), Map.of(), Map.of(), Map.of());
        return new CycleReport(clock.instant(), s, r, Duration.ofMillis(1));
    }
}
