package io.gpuq.scheduler.sim;

/** A valid scenario that cannot be simulated to an end (it never drains, or never settles). */
public final class SimulationException extends RuntimeException {
    public SimulationException(String message) {
        super(message);
    }
}
