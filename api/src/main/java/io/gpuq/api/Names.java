package io.gpuq.api;

/**
 * Names that several components must spell identically: the scheduler the webhook routes pods to, the
 * GPU resource the NVIDIA device plugin advertises, the pool and department that exist without being
 * declared, and the namespace the CRDs live in. Kept in one place so a rename cannot leave one side
 * behind.
 */
public final class Names {

    /** API group of Project, Department and RunaiJob; the Run:ai group, so existing manifests apply. */
    public static final String API_GROUP = "run.ai";

    /** The only served and stored version of the CRDs. */
    public static final String API_VERSION = "v1";

    /** {@code apiVersion} as it appears in manifests. */
    public static final String API_GROUP_VERSION = API_GROUP + "/" + API_VERSION;

    /** Default {@code spec.schedulerName} written by the webhook; configurable per installation. */
    public static final String SCHEDULER_NAME = "runai-scheduler";

    /** kube-scheduler's name: with {@code enforceScheduler: false} only pods naming it are routed. */
    public static final String DEFAULT_KUBE_SCHEDULER = "default-scheduler";

    /** Extended resource of the NVIDIA device plugin, in container limits/requests and node capacity. */
    public static final String GPU_RESOURCE = "nvidia.com/gpu";

    /** Pool of every node without a {@code runai/node-pool} label and of projects without nodePools. */
    public static final String DEFAULT_NODE_POOL = "default";

    /** Department of projects that name none; it has no deserved quota or ceiling of its own. */
    public static final String DEFAULT_DEPARTMENT = "default";

    /** Namespace holding Projects and Departments and the gpuq components, unless installed elsewhere. */
    public static final String SYSTEM_NAMESPACE = "runai";

    private Names() {
    }
}
