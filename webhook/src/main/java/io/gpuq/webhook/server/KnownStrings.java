package io.gpuq.webhook.server;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Names and values that recur in every pod review, shared instead of allocated anew for each one, with
 * their hash codes already computed for the maps they go into. Read-only after class initialisation, so
 * every event loop may use it; a string that is not here is simply created.
 */
final class KnownStrings {

    private static final String[] WORDS = {
        // AdmissionReview
        "apiVersion", "kind", "request", "response", "uid", "group", "version", "resource", "subResource",
        "requestKind", "requestResource", "requestSubResource", "name", "namespace", "operation", "userInfo",
        "username", "groups", "extra", "object", "oldObject", "dryRun", "options", "admission.k8s.io/v1",
        "admission.k8s.io/v1beta1", "AdmissionReview", "CREATE", "UPDATE", "DELETE", "CONNECT", "pods", "Pod",
        "v1", "", "meta.k8s.io/v1", "CreateOptions", "UpdateOptions",
        // metadata
        "metadata", "generateName", "labels", "annotations", "ownerReferences", "controller", "blockOwnerDeletion",
        "managedFields", "finalizers", "creationTimestamp", "resourceVersion", "generation", "batch/v1", "Job",
        "apps/v1", "ReplicaSet", "StatefulSet", "run.ai/v1", "RunaiJob", "job-name", "controller-uid",
        "batch.kubernetes.io/job-name", "batch.kubernetes.io/controller-uid", "batch.kubernetes.io/job-completion-index",
        "app", "app.kubernetes.io/name", "app.kubernetes.io/instance", "app.kubernetes.io/component",
        "pod-template-hash", "project", "runai/queue", "runai/node-pool", "runai/workload-type", "gpu-fraction",
        "gpu-memory", "kubectl.kubernetes.io/default-container", "kubectl.kubernetes.io/last-applied-configuration",
        // spec
        "spec", "status", "containers", "initContainers", "ephemeralContainers", "image", "imagePullPolicy",
        "command", "args", "env", "envFrom", "value", "valueFrom", "fieldRef", "fieldPath", "resourceFieldRef",
        "secretKeyRef", "configMapKeyRef", "key", "optional", "ports", "containerPort", "protocol", "TCP", "UDP",
        "resources", "requests", "limits", "cpu", "memory", "ephemeral-storage", "nvidia.com/gpu", "volumeMounts",
        "mountPath", "readOnly", "subPath", "volumes", "emptyDir", "medium", "Memory", "sizeLimit", "secret",
        "secretName", "configMap", "items", "path", "persistentVolumeClaim", "claimName", "projected", "sources",
        "defaultMode", "serviceAccountToken", "expirationSeconds", "token", "downwardAPI", "hostPath", "type",
        "securityContext", "runAsUser", "runAsGroup", "runAsNonRoot", "fsGroup", "allowPrivilegeEscalation",
        "capabilities", "drop", "add", "ALL", "privileged", "readOnlyRootFilesystem", "seccompProfile",
        "RuntimeDefault", "livenessProbe", "readinessProbe", "startupProbe", "httpGet", "tcpSocket", "exec", "port",
        "initialDelaySeconds", "periodSeconds", "timeoutSeconds", "failureThreshold", "successThreshold",
        "terminationMessagePath", "terminationMessagePolicy", "/dev/termination-log", "File", "IfNotPresent",
        "Always", "Never", "OnFailure", "restartPolicy", "terminationGracePeriodSeconds", "dnsPolicy",
        "ClusterFirst", "serviceAccountName", "serviceAccount", "schedulerName", "default-scheduler",
        "nodeSelector", "nodeName", "kubernetes.io/arch", "amd64", "kubernetes.io/hostname", "affinity",
        "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution",
        "preferredDuringSchedulingIgnoredDuringExecution", "nodeSelectorTerms", "matchExpressions", "matchFields",
        "operator", "values", "In", "NotIn", "Exists", "DoesNotExist", "weight", "preference", "podAffinity",
        "podAntiAffinity", "labelSelector", "matchLabels", "topologyKey", "topologySpreadConstraints",
        "tolerations", "effect", "NoSchedule", "NoExecute", "PreferNoSchedule", "Equal", "tolerationSeconds",
        "node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable", "priorityClassName", "priority",
        "preemptionPolicy", "PreemptLowerPriority", "enableServiceLinks", "imagePullSecrets", "hostNetwork",
        "metadata.name", "metadata.namespace", "metadata.uid", "metadata.labels", "metadata.annotations",
        "spec.nodeName", "status.podIP", "kube-api-access", "kube-root-ca.crt", "ca.crt",
        "NVIDIA_VISIBLE_DEVICES", "CUDA_VISIBLE_DEVICES", "true", "false"};

    private static final int SLOTS = 1024;
    private static final int MASK = SLOTS - 1;
    /** Longer text is not looked up: the known strings are all shorter. */
    private static final int MAX_LENGTH = 64;

    private static final String[] STRINGS = new String[SLOTS];
    private static final byte[][] BYTES = new byte[SLOTS][];

    static {
        for (String word : WORDS) {
            if (word.length() > MAX_LENGTH) {
                throw new IllegalStateException("a known string is longer than " + MAX_LENGTH + ": " + word);
            }
            int slot = slot(word.hashCode());
            while (STRINGS[slot] != null && !STRINGS[slot].equals(word)) {
                slot = (slot + 1) & MASK;
            }
            STRINGS[slot] = word;
            BYTES[slot] = word.getBytes(StandardCharsets.ISO_8859_1);
        }
    }

    private KnownStrings() {
    }

    /**
     * The shared string for ASCII {@code bytes[offset, offset + length)}, whose {@link String#hashCode} is
     * {@code hash}; null when it is not a known one.
     */
    static String find(byte[] bytes, int offset, int length, int hash) {
        if (length > MAX_LENGTH) {
            return null;
        }
        int slot = slot(hash);
        while (true) {
            byte[] candidate = BYTES[slot];
            if (candidate == null) {
                return null;
            }
            if (candidate.length == length && Arrays.equals(candidate, 0, length, bytes, offset, offset + length)) {
                return STRINGS[slot];
            }
            slot = (slot + 1) & MASK;
        }
    }

    private static int slot(int hash) {
        return (hash ^ (hash >>> 16)) & MASK;
    }
}
