package io.gpuq.scheduler.packing;

import java.util.Map;

/**
 * GPU models of the Alibaba trace. The trace states GPU requests in milli-GPU only, so device memory
 * matters only to pods that ask for GPU memory; it is recorded so that such pods can be replayed too.
 * G2 and G3 are anonymised in the trace; they are taken as 32 GiB data-centre parts.
 */
final class GpuModels {
    /** Node label carrying the GPU model, as NVIDIA GPU feature discovery writes it. */
    static final String MODEL_LABEL = "nvidia.com/gpu.product";

    private static final Map<String, Long> MEMORY_MIB = Map.of(
            "P100", 16_384L,
            "T4", 15_360L,
            "V100M16", 16_384L,
            "V100M32", 32_768L,
            "A10", 24_576L,
            "G2", 32_768L,
            "G3", 32_768L);

    private GpuModels() {
    }

    /** Device memory in MiB, or 0 for a model this table does not know (no GPU-memory request fits it). */
    static long memoryMiB(String model) {
        return MEMORY_MIB.getOrDefault(model, 0L);
    }
}
