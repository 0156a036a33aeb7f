package io.gpuq.scheduler.sim;

/** A workload's state in the output; {@link #label()} is the word §7 uses. */
public enum WorkloadState {
    PENDING("Pending"),
    RUNNING("Running"),
    COMPLETED("Completed");

    private final String label;

    WorkloadState(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
