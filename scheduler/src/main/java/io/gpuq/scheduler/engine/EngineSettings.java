package io.gpuq.scheduler.engine;

/**
 * Knobs of the engine. {@code placementPolicy} is {@code default} (fragmentation-aware), {@code binpack}
 * or {@code spread}.
 */
public record EngineSettings(String placementPolicy, boolean reclaimEnabled, boolean preemptionEnabled) {

    public static EngineSettings defaults() {
        return new EngineSettings("default", true, true);
    }

    public EngineSettings withPolicy(String policy) {
        return new EngineSettings(policy, reclaimEnabled, preemptionEnabled);
    }
}
