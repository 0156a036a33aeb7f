package io.gpuq.webhook.admission;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gpuq.api.Annotations;
import io.gpuq.api.crd.Project;
import io.gpuq.api.crd.ProjectStatus;

import java.util.List;

/**
 * {@code runai/quota-status}: whether the pod fits in its project's deserved quota given what the
 * scheduler last reported as allocated. Informational only, so an estimate from the cached status is
 * enough; once written it is kept, which keeps reinvocation a no-op even if the status moved meanwhile.
 */
final class QuotaStatusMutation implements PodMutation {

    /** Tolerance for sums of fractional GPUs. */
    private static final double EPSILON = 1e-9;

    @Override
    public void apply(PodContext context, PodDraft pod, List<String> warnings) {
        if (!context.hasProject()) {
            return;
        }
        String current = context.pod().annotation(Annotations.QUOTA_STATUS);
        if (Annotations.QUOTA_WITHIN.equals(current) || Annotations.QUOTA_OVER.equals(current)) {
            return;
        }
        ObjectNode annotations = pod.object("metadata", "annotations");
        if (annotations != null) {
            annotations.put(Annotations.QUOTA_STATUS, status(context));
        }
    }

    private static String status(PodContext context) {
        double deserved = 0;
        for (double poolDeserved : context.pools().projectPools().values()) {
            if (poolDeserved < 0) {
                return Annotations.QUOTA_WITHIN;
            }
            deserved += poolDeserved;
        }
        Project project = context.project().project();
        ProjectStatus status = project.getStatus();
        double allocated = status == null || status.getAllocatedGpus() == null ? 0 : status.getAllocatedGpus();
        double wanted = context.requestedGpus().orElse(0);
        return allocated + wanted <= deserved + EPSILON ? Annotations.QUOTA_WITHIN : Annotations.QUOTA_OVER;
    }
}
