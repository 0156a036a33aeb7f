package io.gpuq.scheduler.engine;

import io.gpuq.scheduler.engine.model.ClusterSnapshot;
import io.gpuq.scheduler.engine.model.CycleResult;

/** One scheduling cycle: a snapshot in, decisions out. Stateless between cycles. */
public final class SchedulingEngine {
    private final EngineSettings settings;

    public SchedulingEngine(EngineSettings settings) {
        this.settings = settings;
    }

    public EngineSettings settings() {
        return settings;
    }

    public CycleResult cycle(ClusterSnapshot snapshot) {
        return new CycleRun(snapshot, settings).run();
    }
}
