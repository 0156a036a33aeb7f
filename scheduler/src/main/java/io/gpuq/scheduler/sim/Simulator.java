package io.gpuq.scheduler.sim;

import io.gpuq.scheduler.engine.EngineSettings;
import io.gpuq.scheduler.engine.SchedulingEngine;
import io.gpuq.scheduler.sim.scenario.Scenario;

/**
 * Runs a scenario through the scheduling engine in virtual time ({@code gpuq simulate}). The simulator
 * owns all state between cycles (pending and running workloads with their allocations); the engine
 * sees a fresh snapshot each cycle. Reusable: each {@link #run} starts from the scenario afresh.
 */
public final class Simulator {
    private final CycleRunner engine;
    private final boolean skipIdleCycles;

    public Simulator(CycleRunner engine) {
        this(engine, true);
    }

    private Simulator(CycleRunner engine, boolean skipIdleCycles) {
        this.engine = engine;
        this.skipIdleCycles = skipIdleCycles;
    }

    public static Simulator withEngine(EngineSettings settings) {
        SchedulingEngine e = new SchedulingEngine(settings);
        return new Simulator(e::cycle);
    }

    /**
     * The same simulator running the engine at every cycle time instead of skipping cycles in which
     * nothing can change; its results are identical, only slower. Exists to check exactly that.
     */
    public Simulator everyCycle() {
        return new Simulator(engine, false);
    }

    /**
     * @throws SimulationException when the scenario has no observeAt and never drains, or when
     *     decisions never settle
     */
    public SimulationResult run(Scenario scenario) {
        return new SimulationRun(scenario, engine, skipIdleCycles).run();
    }
}
