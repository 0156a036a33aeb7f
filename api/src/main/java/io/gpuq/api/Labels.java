package io.gpuq.api;

/**
 * Label keys of the Run:ai contract. Each constant says who sets the label: the user (or cluster
 * admin), the webhook, or the cluster itself. The webhook never removes a label a user set; it only
 * adds or corrects the ones it owns.
 */
public final class Labels {

    /**
     * Namespace label, set by the cluster admin: {@code runai-job: "true"} opts the namespace in, so the
     * webhooks act on its pods. The selector is configurable; this is its default.
     */
    public static final String RUNAI_JOB = "runai-job";

    /** The value of {@link #RUNAI_JOB} that opts a namespace in. */
    public static final String RUNAI_JOB_ENABLED = "true";

    /**
     * Namespace or pod label naming the project explicitly; set by users, and written on every pod by the
     * webhook once it has resolved the project (from this label or from the Project whose
     * {@code spec.namespace} is the pod's namespace).
     */
    public static final String QUEUE = "runai/queue";

    /**
     * On a node (set by the cluster admin): the node's pool; nodes without it are in
     * {@link Names#DEFAULT_NODE_POOL}. On a pod (set by the user): ask for one of the project's pools.
     */
    public static final String NODE_POOL = "runai/node-pool";

    /**
     * Pod label set by the user: one of {@link WorkloadType#allowedLabels()}; selects the PriorityClass
     * when the pod names none of ours. Absent means {@link WorkloadType#DEFAULT}.
     */
    public static final String WORKLOAD_TYPE = "runai/workload-type";

    /**
     * Pod label, webhook-owned: {@code "true"} or {@code "false"}, derived from the pod's priority class
     * (values below {@link WorkloadType#NON_PREEMPTIBLE_THRESHOLD} are preemptible). Users may not set
     * {@code "false"} on a preemptible class.
     */
    public static final String PREEMPTIBLE = "runai/preemptible";

    /** Node label written by NVIDIA GPU feature discovery: the GPU model, e.g. {@code NVIDIA-H100-80GB-HBM3}. */
    public static final String GPU_PRODUCT = "nvidia.com/gpu.product";

    /** Node label written by NVIDIA GPU feature discovery: memory of one GPU in MiB. */
    public static final String GPU_MEMORY_MIB = "nvidia.com/gpu.memory";

    /** Node label written by NVIDIA GPU feature discovery: number of GPUs on the node. */
    public static final String GPU_COUNT = "nvidia.com/gpu.count";

    /**
     * Node label: how the node is paid for ({@code spot}, {@code on-demand}, {@code reserved}), the
     * capacity type of the price table. Read first; cloud labels such as Karpenter's are fallbacks.
     */
    public static final String CAPACITY_TYPE = "runai/capacity-type";

    /** Pod label set by the RunaiJob controller: the RunaiJob that owns the pod. */
    public static final String JOB_NAME = "runai/job-name";

    /** Pod label set by the RunaiJob controller: the pod's rank (0 .. replicas-1). */
    public static final String POD_INDEX = "runai/pod-index";

    /** Pod label on the scheduler's reservation pods: {@code "true"}. */
    public static final String RESERVATION = "runai/reservation";

    /** Pod label on a reservation pod: the device index it holds on its node. */
    public static final String RESERVED_DEVICE = "runai/reserved-device";

    private Labels() {
    }
}
