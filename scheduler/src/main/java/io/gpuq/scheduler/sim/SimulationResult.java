package io.gpuq.scheduler.sim;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Everything a simulation produced, in the shape of DESIGN §7's output document. */
public record SimulationResult(
        List<Observation> snapshots,
        List<WorkloadOutcome> workloads,
        List<SimEvent> events,
        Map<String, ProjectCost> cost) {

    public SimulationResult {
        snapshots = List.copyOf(snapshots);
        workloads = List.copyOf(workloads);
        events = List.copyOf(events);
        cost = Collections.unmodifiableMap(new LinkedHashMap<>(cost));
    }

    public Observation snapshotAt(long time) {
        for (Observation o : snapshots) {
            if (o.time() == time) {
                return o;
            }
        }
        throw new IllegalArgumentException("no snapshot at t=" + time);
    }

    public WorkloadOutcome workload(String name) {
        for (WorkloadOutcome w : workloads) {
            if (w.name().equals(name)) {
                return w;
            }
        }
        throw new IllegalArgumentException("no workload " + name);
    }
}
