package io.gpuq.webhook.admission;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/**
 * The mutating webhook for pods (DESIGN §3.3 steps 1–6). It edits a copy-on-write draft of the pod and
 * answers the difference as a JSON patch, so the patch is minimal by construction and each step only
 * has to be idempotent for the whole to be.
 */
final class PodMutator {

    private static final List<PodMutation> STEPS = List.of(
            new SchedulerMutation(),
            new QueueLabelMutation(),
            new FractionMutation(),
            new GpuEnvMutation(),
            new NodePoolMutation(),
            new PriorityMutation(),
            new GangMutation(),
            new QuotaStatusMutation());

    Verdict mutate(PodContext context) {
        if (!context.routed() || context.pod().isMirror() || !context.pod().json().isObject()) {
            return Verdict.allow();
        }
        PodDraft draft = new PodDraft((ObjectNode) context.pod().json());
        List<String> warnings = new ArrayList<>();
        for (PodMutation step : STEPS) {
            step.apply(context, draft, warnings);
        }
        return Verdict.patch(draft.patch(), warnings);
    }
}
