package io.gpuq.scheduler.engine.model;

/** Why a workload stays pending after a cycle: a stable code (for metrics and conditions) and a message. */
public record PendingReason(Code code, String message) {

    public enum Code {
        /** The project is at its fair share and cannot reclaim more. */
        OVER_QUOTA,
        /** The project's maxGpus would be exceeded. */
        PROJECT_LIMIT,
        /** A department's maxGpus would be exceeded. */
        DEPARTMENT_CEILING,
        /** Non-preemptible work may only run within deserved quota. */
        NON_PREEMPTIBLE_OVER_DESERVED,
        /** Not enough pods of the gang can be placed at once. */
        GANG_INCOMPLETE,
        /** No node of the pool has room (whole GPUs, CPU or memory). */
        NO_ROOM_IN_POOL,
        /** Enough GPUs are free in total, but not in a usable shape on any one node. */
        FRAGMENTATION,
        /** No node matches the workload's pool, selector, affinity or tolerations. */
        NO_MATCHING_NODE,
        /** The workload names a pool its project may not use, or the project is unknown. */
        INVALID
    }

    public String reason() {
        switch (code) {
            case OVER_QUOTA: return "OverQuota";
            case PROJECT_LIMIT: return "ProjectLimit";
            case DEPARTMENT_CEILING: return "DepartmentCeiling";
            case NON_PREEMPTIBLE_OVER_DESERVED: return "NonPreemptibleOverDeserved";
            case GANG_INCOMPLETE: return "GangIncomplete";
            case NO_ROOM_IN_POOL: return "NoRoomInPool";
            case FRAGMENTATION: return "Fragmentation";
            case NO_MATCHING_NODE: return "NoMatchingNode";
            default: return "Invalid";
        }
    }
}
