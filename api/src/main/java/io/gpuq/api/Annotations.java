package io.gpuq.api;

/**
 * Pod annotation keys of the Run:ai contract. The user-facing ones keep Run:ai's unprefixed names so
 * existing manifests work; the ones gpuq writes itself carry the {@code runai/} prefix and say which
 * component owns them. An owned annotation set by anybody else is denied by validation.
 */
public final class Annotations {

    /**
     * Set by the user (or by the webhook when it rewrites the seed form {@code nvidia.com/gpu: "0.5"}):
     * a fraction of one GPU, greater than 0 and less than 1.
     */
    public static final String GPU_FRACTION = "gpu-fraction";

    /** Set by the user: GPU memory in MiB on one device, instead of a fraction. */
    public static final String GPU_MEMORY = "gpu-memory";

    /** Set by the user: the fraction or memory applies on this many devices (default 1). */
    public static final String GPU_FRACTION_NUM_DEVICES = "gpu-fraction-num-devices";

    /** Set by the user: the container that receives the fractional GPU (default the first container). */
    public static final String GPU_FRACTION_CONTAINER_NAME = "gpu-fraction-container-name";

    /**
     * Gang key: pods with the same value in a namespace are scheduled all-or-nothing. Set by the webhook
     * from the pod's owner (RunaiJob, Job, PyTorchJob-style), or by the user, whose value is kept.
     */
    public static final String POD_GROUP_NAME = "pod-group-name";

    /**
     * Gang size: the gang starts only when this many of its pods can be placed at once. Set by the
     * webhook alongside {@link #POD_GROUP_NAME}, or by the user.
     */
    public static final String POD_GROUP_MIN_MEMBER = "runai/pod-group-min-member";

    /**
     * Scheduler-owned: the device indices or UUIDs chosen on the node, e.g. {@code 0} or {@code 2,3},
     * written before binding and fed to the container's {@code NVIDIA_VISIBLE_DEVICES} through the
     * downward API. Only the scheduler's service account may set or change it.
     */
    public static final String GPU_DEVICES = "runai/gpu-devices";

    /**
     * Webhook-owned: the normalised fraction (e.g. {@code 0.5}) of a fractional pod, so every reader
     * sees one canonical spelling whatever form the user wrote. Validation accepts it only when it
     * agrees with the pod's request.
     */
    public static final String NORMALISED_GPU_FRACTION = "runai/gpu-fraction";

    /**
     * Webhook-owned, informational: {@link #QUOTA_WITHIN} or {@link #QUOTA_OVER}, the project's quota
     * position when the pod was admitted. The scheduler does not rely on it.
     */
    public static final String QUOTA_STATUS = "runai/quota-status";

    /** Value of {@link #QUOTA_STATUS}: the pod fitted in the project's deserved quota at admission. */
    public static final String QUOTA_WITHIN = "within-quota";

    /** Value of {@link #QUOTA_STATUS}: the pod needed borrowed capacity at admission. */
    public static final String QUOTA_OVER = "over-quota";

    /**
     * Written by {@code gpuq reserve} on its own reservation pod: the UUID of the device the device
     * plugin gave it. Fraction pods on that device receive this UUID in {@link #GPU_DEVICES}.
     */
    public static final String RESERVED_GPU_UUID = "runai/reserved-gpu-uuid";

    private Annotations() {
    }
}
