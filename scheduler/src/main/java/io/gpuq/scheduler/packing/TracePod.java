package io.gpuq.scheduler.packing;

import io.gpuq.scheduler.engine.model.PodRequest;

/** One pod of a trace: what it asks the scheduler for, and its GPU request in milli-GPU as the trace counts it. */
public record TracePod(PodRequest request, long gpuMilli) {
}
