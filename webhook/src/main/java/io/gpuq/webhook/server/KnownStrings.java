package io.gpuq.webhook.server;

import com.fasterxml.jackson.databind.node.TextNode;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
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

    private static final int SLOT_BITS = 10;
    private static final int SLOTS = 1 << SLOT_BITS;
    private static final int MASK = SLOTS - 1;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /** Per slot: the text's length, or -1 for an empty slot. */
    private static final int[] LENGTHS = new int[SLOTS];
    /** Per slot: the text's first eight bytes and its last eight, zero-padded below eight bytes. */
    private static final long[] HEADS = new long[SLOTS];
    private static final long[] TAILS = new long[SLOTS];
    private static final byte[][] BYTES = new byte[SLOTS][];
    private static final String[] STRINGS = new String[SLOTS];
    private static final TextNode[] TEXTS = new TextNode[SLOTS];
    /** The longest name in the vocabulary; longer ones are not looked up. */
    private static final int LONGEST;

    static {
        Arrays.fill(LENGTHS, -1);
        int longest = 0;
        for (String name : VOCABULARY) {
            byte[] b = name.getBytes(StandardCharsets.US_ASCII);
            long head = head(b, 0, b.length);
            long tail = tail(b, 0, b.length);
            int slot = slot(head, tail, b.length);
            while (STRINGS[slot] != null && !STRINGS[slot].equals(name)) {
                slot = (slot + 1) & MASK;
            }
            LENGTHS[slot] = b.length;
            HEADS[slot] = head;
            TAILS[slot] = tail;
            BYTES[slot] = b;
            // The table's strings carry their hash code from here on.
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

    /*
     * A text is keyed by its length and its first and last eight bytes, read as two longs: hashing and
     * comparing it costs the same for every length, and up to 16 bytes the key is the whole text. Only
     * longer texts that match the key are compared byte by byte, in their middle.
     */
    private static int slot(byte[] bytes, int start, int length) {
        if (length > LONGEST) {
            return -1;
        }
        long head = head(bytes, start, length);
        long tail = tail(bytes, start, length);
        int slot = slot(head, tail, length);
        while (true) {
            int candidate = LENGTHS[slot];
            if (candidate < 0) {
                return -1;
            }
            if (candidate == length && HEADS[slot] == head && TAILS[slot] == tail
                    && (length <= 2 * Long.BYTES || Arrays.equals(BYTES[slot], Long.BYTES, length - Long.BYTES,
                            bytes, start + Long.BYTES, start + length - Long.BYTES))) {
                return slot;
            }
            slot = (slot + 1) & MASK;
        }
    }

    /** The first eight bytes of the text, or all of a shorter one, zero-padded. */
    private static long head(byte[] bytes, int start, int length) {
        if (length >= Long.BYTES) {
            return (long) LONGS.get(bytes, start);
        }
        if (start + Long.BYTES <= bytes.length) {
            // Reads past the text, within the array, and keeps only the text's bytes.
            return (long) LONGS.get(bytes, start) & ((1L << (length << 3)) - 1);
        }
        long word = 0;
        for (int i = length - 1; i >= 0; i--) {
            word = word << 8 | (bytes[start + i] & 0xff);
        }
        return word;
    }

    /** The last eight bytes of a text of more than eight, else zero: the head holds all of a short one. */
    private static long tail(byte[] bytes, int start, int length) {
        return length > Long.BYTES ? (long) LONGS.get(bytes, start + length - Long.BYTES) : 0L;
    }

    private static int slot(long head, long tail, int length) {
        long h = (head * 0x9E3779B97F4A7C15L) ^ (tail * 0xC2B2AE3D27D4EB4FL) ^ length;
        h ^= h >>> 29;
        h *= 0xBF58476D1CE4E5B9L;
        return (int) (h >>> (Long.SIZE - SLOT_BITS));
    }
}
