package io.gpuq.scheduler.sim;

/** Something that happened to a workload at a point of scenario time. */
public record SimEvent(long time, Type type, String workload, String details) {

    public enum Type {
        Submitted, Started, Evicted, Completed
    }
}
