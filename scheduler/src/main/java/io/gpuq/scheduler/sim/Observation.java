package io.gpuq.scheduler.sim;

import io.gpuq.scheduler.engine.model.QueueStatus;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The state right after the cycle at {@code time} applied its decisions. Maps keep the scenario's
 * order (projects, departments, workloads as listed in the file).
 */
public record Observation(
        long time,
        Map<String, QueueStatus> projects,
        Map<String, QueueStatus> departments,
        Map<String, WorkloadView> workloads) {

    public Observation {
        projects = Collections.unmodifiableMap(new LinkedHashMap<>(projects));
        departments = Collections.unmodifiableMap(new LinkedHashMap<>(departments));
        workloads = Collections.unmodifiableMap(new LinkedHashMap<>(workloads));
    }
}
