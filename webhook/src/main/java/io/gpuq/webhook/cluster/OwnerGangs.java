package io.gpuq.webhook.cluster;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import io.gpuq.api.crd.RunaiJob;
import io.gpuq.webhook.ClusterView.Gang;

import java.util.Map;
import java.util.Optional;

/**
 * How many pods of an owner must start together. An owner is a gang when it runs at least two pods at
 * once; the pod-group name follows the {@code pg-<owner>-<uid>} convention of KAI's pod grouper, so a
 * re-created owner of the same name never joins its predecessor's group.
 */
final class OwnerGangs {

    private OwnerGangs() {
    }

    /** A distributed RunaiJob: its worker count. A single-pod job is not a gang. */
    static Optional<Gang> of(RunaiJob job) {
        if (job.getSpec() == null || !job.getSpec().isDistributed()) {
            return Optional.empty();
        }
        return gang(job, job.getSpec().podCount());
    }

    /** A batch Job: the pods it runs at once, its parallelism capped by its completions. */
    static Optional<Gang> of(Job job) {
        JobSpec spec = job.getSpec();
        if (spec == null) {
            return Optional.empty();
        }
        int parallelism = spec.getParallelism() == null ? 1 : spec.getParallelism();
        if (spec.getCompletions() != null) {
            parallelism = Math.min(parallelism, spec.getCompletions());
        }
        return gang(job, parallelism);
    }

    /**
     * A Kubeflow-style training job ({@code spec.<framework>ReplicaSpecs}, as PyTorchJob, TFJob, MPIJob,
     * XGBoostJob, PaddleJob and JAXJob have): {@code spec.runPolicy.schedulingPolicy.minAvailable} when
     * set, else the sum of the replica counts (each 1 when absent).
     */
    static Optional<Gang> of(GenericKubernetesResource job) {
        Object specObject = job.getAdditionalProperties().get("spec");
        if (!(specObject instanceof Map<?, ?> spec)) {
            return Optional.empty();
        }
        Object runPolicy = spec.get("runPolicy");
        if (runPolicy instanceof Map<?, ?> rp && rp.get("schedulingPolicy") instanceof Map<?, ?> sp
                && sp.get("minAvailable") instanceof Number min) {
            return gang(job, min.intValue());
        }
        long total = 0;
        boolean found = false;
        for (Map.Entry<?, ?> e : spec.entrySet()) {
            if (e.getKey() instanceof String key && key.endsWith("ReplicaSpecs") && e.getValue() instanceof Map<?, ?> specs) {
                found = true;
                for (Object replicaSpec : specs.values()) {
                    Object replicas = replicaSpec instanceof Map<?, ?> rs ? rs.get("replicas") : null;
                    total += replicas instanceof Number n ? Math.max(0, n.longValue()) : 1;
                }
            }
        }
        return found ? gang(job, (int) Math.min(Integer.MAX_VALUE, total)) : Optional.empty();
    }

    private static Optional<Gang> gang(HasMetadata owner, int size) {
        if (size < 2 || owner.getMetadata() == null) {
            return Optional.empty();
        }
        String uid = owner.getMetadata().getUid();
        String name = "pg-" + owner.getMetadata().getName() + (uid == null || uid.isEmpty() ? "" : "-" + uid);
        return Optional.of(new Gang(name, size));
    }
}
