package io.gpuq.api.crd;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Life cycle of a RunaiJob, spelled as Kubernetes pod phases are, because users read them side by side. */
public enum RunaiJobPhase {
    /** Created, but not every pod of the job is running yet (gangs wait for all workers). */
    @JsonProperty("Pending")
    PENDING,
    /** Every pod is running. */
    @JsonProperty("Running")
    RUNNING,
    /** The pods completed successfully. */
    @JsonProperty("Succeeded")
    SUCCEEDED,
    /** A pod failed beyond the backoff limit or the deadline passed. */
    @JsonProperty("Failed")
    FAILED;

    /** Terminal phases are never left; the controller stops reconciling pods once there. */
    public boolean isFinished() {
        return this == SUCCEEDED || this == FAILED;
    }
}
