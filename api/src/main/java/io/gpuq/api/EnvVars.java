package io.gpuq.api;

/**
 * Environment variables gpuq injects into containers. The webhook wires the GPU ones and the RunaiJob
 * controller the distributed-training ones; training scripts and the CUDA runtime read them by these
 * exact names, and validation must recognise the webhook's own wiring.
 */
public final class EnvVars {

    /** GPU container: devices the container may see, from the downward API on {@link Annotations#GPU_DEVICES}. */
    public static final String NVIDIA_VISIBLE_DEVICES = "NVIDIA_VISIBLE_DEVICES";

    /** Fractional GPU container: the normalised fraction, for frameworks that size themselves by it. */
    public static final String RUNAI_GPU_FRACTION = "RUNAI_GPU_FRACTION";

    /** Fractional GPU container on an MPS pool: share of the device's SMs, in percent. */
    public static final String CUDA_MPS_ACTIVE_THREAD_PERCENTAGE = "CUDA_MPS_ACTIVE_THREAD_PERCENTAGE";

    /** Fractional GPU container on an MPS pool: device memory limit, so memory is enforced. */
    public static final String CUDA_MPS_PINNED_DEVICE_MEM_LIMIT = "CUDA_MPS_PINNED_DEVICE_MEM_LIMIT";

    /** Distributed worker: DNS name of rank 0, {@code <job>-0.<job>.<namespace>.svc}. */
    public static final String MASTER_ADDR = "MASTER_ADDR";

    /** Distributed worker: rendezvous port on rank 0. */
    public static final String MASTER_PORT = "MASTER_PORT";

    /** The rendezvous port PyTorch users expect when nothing else is configured. */
    public static final int DEFAULT_MASTER_PORT = 29500;

    /** Distributed worker: number of workers. */
    public static final String WORLD_SIZE = "WORLD_SIZE";

    /** Distributed worker: this worker's index, 0-based. */
    public static final String RANK = "RANK";

    /** Distributed worker, for torchrun: number of nodes (one worker per node). */
    public static final String NNODES = "NNODES";

    /** Distributed worker, for torchrun: this worker's node index. */
    public static final String NODE_RANK = "NODE_RANK";

    private EnvVars() {
    }
}
