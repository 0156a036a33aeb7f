package io.gpuq.webhook.admission;

import io.gpuq.api.Annotations;
import io.gpuq.api.EnvVars;
import io.gpuq.api.Labels;
import io.gpuq.api.Names;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The strings pod reviews and their answers are mostly made of: the Pod and AdmissionReview API's
 * member names, well-known label and annotation keys, the API's constant values, and gpuq's own keys and
 * values. They are Java string constants, so each is one instance in the whole process, the same as the
 * constant of that text anywhere in the code. The reader shares these instances rather than making new
 * strings ({@code KnownStrings}), and {@link PlainJsonWriter} writes them from bytes encoded once.
 */
public final class JsonVocabulary {

    private static final String[] API = {
        // AdmissionReview
        "apiVersion", "kind", "request", "response", "uid", "resource", "subResource", "group", "version",
        "requestKind", "requestResource", "requestSubResource", "name", "namespace", "operation", "userInfo",
        "username", "groups", "extra", "object", "oldObject", "dryRun", "options", "allowed", "status",
        "patch", "patchType", "warnings", "auditAnnotations", "code", "message", "reason",
        // ObjectMeta
        "metadata", "generateName", "labels", "annotations", "ownerReferences", "controller",
        "blockOwnerDeletion", "finalizers", "managedFields", "creationTimestamp", "deletionTimestamp",
        "deletionGracePeriodSeconds", "resourceVersion", "generation", "selfLink", "manager", "fieldsType",
        "fieldsV1", "time",
        // PodSpec
        "spec", "containers", "initContainers", "ephemeralContainers", "restartPolicy", "schedulerName",
        "nodeSelector", "nodeName", "affinity", "nodeAffinity", "podAffinity", "podAntiAffinity",
        "requiredDuringSchedulingIgnoredDuringExecution", "preferredDuringSchedulingIgnoredDuringExecution",
        "nodeSelectorTerms", "matchExpressions", "matchFields", "matchLabels", "labelSelector", "topologyKey",
        "weight", "preference", "podAffinityTerm", "key", "operator", "values", "value", "effect",
        "tolerations", "tolerationSeconds", "priorityClassName", "priority", "preemptionPolicy",
        "runtimeClassName", "overhead", "topologySpreadConstraints", "maxSkew", "whenUnsatisfiable",
        "volumes", "securityContext", "imagePullSecrets", "dnsConfig", "dnsPolicy", "hostAliases",
        "readinessGates", "os", "resourceClaims", "schedulingGates", "terminationGracePeriodSeconds",
        "activeDeadlineSeconds", "serviceAccountName", "serviceAccount", "automountServiceAccountToken",
        "enableServiceLinks", "hostname", "subdomain", "hostNetwork", "hostPID", "hostIPC", "hostUsers",
        "shareProcessNamespace", "setHostnameAsFQDN", "runAsUser", "runAsGroup", "runAsNonRoot", "fsGroup",
        "supplementalGroups", "seccompProfile", "capabilities", "drop", "add", "privileged",
        "allowPrivilegeEscalation", "readOnlyRootFilesystem",
        // Container
        "image", "imagePullPolicy", "command", "args", "workingDir", "ports", "containerPort", "protocol",
        "hostPort", "env", "envFrom", "valueFrom", "fieldRef", "fieldPath", "resourceFieldRef",
        "configMapKeyRef", "secretKeyRef", "resources", "requests", "limits", "claims", "volumeMounts",
        "mountPath", "subPath", "readOnly", "volumeDevices", "livenessProbe", "readinessProbe",
        "startupProbe", "lifecycle", "terminationMessagePath", "terminationMessagePolicy", "stdin",
        "stdinOnce", "tty", "resizePolicy", "restartPolicy", "httpGet", "tcpSocket", "exec", "path",
        "port", "scheme", "initialDelaySeconds", "periodSeconds", "timeoutSeconds", "successThreshold",
        "failureThreshold",
        // Resources
        "cpu", "memory", "ephemeral-storage", "nvidia.com/gpu",
        // Volumes
        "emptyDir", "medium", "sizeLimit", "persistentVolumeClaim", "claimName", "configMap", "secret",
        "secretName", "projected", "sources", "defaultMode", "items", "downwardAPI", "serviceAccountToken",
        "expirationSeconds", "hostPath", "type",
        // Well-known labels and annotations
        "app", "app.kubernetes.io/name", "app.kubernetes.io/instance", "app.kubernetes.io/component",
        "app.kubernetes.io/part-of", "app.kubernetes.io/managed-by", "app.kubernetes.io/version",
        "batch.kubernetes.io/controller-uid", "batch.kubernetes.io/job-name",
        "batch.kubernetes.io/job-completion-index", "controller-uid", "job-name", "pod-template-hash",
        "kubernetes.io/arch", "kubernetes.io/os", "kubernetes.io/hostname",
        "kubectl.kubernetes.io/default-container", "kubectl.kubernetes.io/last-applied-configuration",
        "prometheus.io/scrape", "prometheus.io/port", "prometheus.io/path",
        "runai/workload-type", "runai/queue", "runai/node-pool", "project", "gpu-fraction", "gpu-memory",
        "gpu-fraction-container-name", "kai.scheduler/queue", "kueue.x-k8s.io/queue-name",
        // Values
        "", "v1", "admission.k8s.io/v1", "admission.k8s.io/v1beta1", "AdmissionReview", "Pod", "pods",
        "CREATE", "UPDATE", "DELETE", "CONNECT", "meta.k8s.io/v1", "CreateOptions", "UpdateOptions",
        "batch/v1", "Job", "apps/v1", "ReplicaSet", "StatefulSet", "Deployment", "DaemonSet",
        "run.ai/v1", "RunaiJob", "true", "false", "Never", "Always", "OnFailure", "IfNotPresent",
        "ClusterFirst", "ClusterFirstWithHostNet", "Default", "File", "FallbackToLogsOnError",
        "/dev/termination-log", "/dev/shm", "/var/run/secrets/kubernetes.io/serviceaccount", "TCP", "UDP",
        "Exists", "Equal", "In", "NotIn", "DoesNotExist", "Gt", "Lt", "NoSchedule", "PreferNoSchedule",
        "NoExecute", "node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable", "Memory",
        "metadata.name", "metadata.namespace", "metadata.uid", "metadata.labels", "metadata.annotations",
        "spec.nodeName", "status.podIP", "status.hostIP", "PreemptLowerPriority", "default-scheduler",
        "runai-scheduler", "kube-root-ca.crt", "ca.crt", "token", "amd64", "arm64", "linux", "ALL",
        "RuntimeDefault", "train", "inference", "build", "interactive-preemptible", "default",
        "system:authenticated", "system:serviceaccounts",
    };

    /** gpuq's own keys and values, as the mutations write them. */
    private static final String[] GPUQ = {
        Labels.QUEUE, Labels.NODE_POOL, Labels.WORKLOAD_TYPE, Labels.PREEMPTIBLE, Labels.RUNAI_JOB,
        Labels.RUNAI_JOB_ENABLED, Annotations.GPU_FRACTION, Annotations.GPU_MEMORY,
        Annotations.GPU_FRACTION_NUM_DEVICES, Annotations.GPU_FRACTION_CONTAINER_NAME, Annotations.POD_GROUP_NAME,
        Annotations.POD_GROUP_MIN_MEMBER, Annotations.GPU_DEVICES, Annotations.NORMALISED_GPU_FRACTION,
        Annotations.QUOTA_STATUS, Annotations.QUOTA_WITHIN, Annotations.QUOTA_OVER, Annotations.RESERVED_GPU_UUID,
        EnvVars.NVIDIA_VISIBLE_DEVICES, EnvVars.RUNAI_GPU_FRACTION, EnvVars.CUDA_MPS_ACTIVE_THREAD_PERCENTAGE,
        EnvVars.CUDA_MPS_PINNED_DEVICE_MEM_LIMIT, EnvVars.MASTER_ADDR, EnvVars.MASTER_PORT, EnvVars.WORLD_SIZE,
        EnvVars.RANK, EnvVars.NNODES, EnvVars.NODE_RANK, Names.SCHEDULER_NAME, Names.DEFAULT_KUBE_SCHEDULER,
        Names.API_GROUP_VERSION, Names.DEFAULT_NODE_POOL, Names.GPU_RESOURCE, GpuEnv.DEVICES_FIELD_PATH,
        "interactive", "JSONPatch",
    };

    private static final List<String> WORDS;

    static {
        Set<String> words = new LinkedHashSet<>(Arrays.asList(API));
        words.addAll(Arrays.asList(GPUQ));
        WORDS = List.copyOf(words);
    }

    private JsonVocabulary() {
    }

    /** Every word once, each the process-wide instance of its text. */
    public static List<String> words() {
        return WORDS;
    }
}
