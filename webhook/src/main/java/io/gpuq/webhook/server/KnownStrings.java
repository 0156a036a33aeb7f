package io.gpuq.webhook.server;

import com.fasterxml.jackson.databind.node.TextNode;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The member names of a pod AdmissionReview and its commonest text values, each as one shared string
 * (and, for values, one shared text node), found from the bytes of a body without making a string. A
 * review has a hundred or so member names, nearly all of them from this vocabulary, and many of its
 * values are API constants ("v1", "Pod", "CREATE", "IfNotPresent"). Reading them allocates nothing, their
 * hash codes are computed once for the whole process, and the rules' own look-ups by the same names
 * compare identical strings. Other text is read into new strings as before.
 */
final class KnownStrings {

    /**
     * The Pod and AdmissionReview API's member names, well-known label and annotation keys, and the
     * API's constant values.
     */
    private static final String[] VOCABULARY = {
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

    private static final int SLOTS = 1024;
    private static final int MASK = SLOTS - 1;
    private static final byte[][] BYTES = new byte[SLOTS][];
    private static final String[] STRINGS = new String[SLOTS];
    private static final TextNode[] TEXTS = new TextNode[SLOTS];
    /** The longest name in the vocabulary; longer ones are not looked up. */
    private static final int LONGEST;

    static {
        int longest = 0;
        for (String name : VOCABULARY) {
            byte[] b = name.getBytes(StandardCharsets.US_ASCII);
            int slot = slot(hash(b, 0, b.length));
            while (STRINGS[slot] != null && !STRINGS[slot].equals(name)) {
                slot = (slot + 1) & MASK;
            }
            BYTES[slot] = b;
            // The table's strings carry their hash code from here on; it is the same function.
            name.hashCode();
            STRINGS[slot] = name;
            TEXTS[slot] = TextNode.valueOf(name);
            longest = Math.max(longest, b.length);
        }
        LONGEST = longest;
    }

    private KnownStrings() {
    }

    /** The vocabulary, for tests. */
    static String[] vocabulary() {
        return VOCABULARY.clone();
    }

    /**
     * The shared string for the ASCII text in {@code bytes[start, start + length)}, or null when it is not
     * in the vocabulary.
     */
    static String find(byte[] bytes, int start, int length) {
        int slot = slot(bytes, start, length);
        return slot < 0 ? null : STRINGS[slot];
    }

    /** The shared text node for that text, or null when it is not in the vocabulary. */
    static TextNode findText(byte[] bytes, int start, int length) {
        int slot = slot(bytes, start, length);
        return slot < 0 ? null : TEXTS[slot];
    }

    private static int slot(byte[] bytes, int start, int length) {
        if (length > LONGEST) {
            return -1;
        }
        int slot = slot(hash(bytes, start, length));
        while (true) {
            byte[] candidate = BYTES[slot];
            if (candidate == null) {
                return -1;
            }
            if (candidate.length == length && Arrays.equals(candidate, 0, length, bytes, start, start + length)) {
                return slot;
            }
            slot = (slot + 1) & MASK;
        }
    }

    /** {@link String#hashCode()} of the Latin-1 text in those bytes. */
    private static int hash(byte[] bytes, int start, int length) {
        int h = 0;
        for (int i = start, end = start + length; i < end; i++) {
            h = 31 * h + (bytes[i] & 0xff);
        }
        return h;
    }

    private static int slot(int hash) {
        return (hash ^ (hash >>> 16)) & MASK;
    }
}
