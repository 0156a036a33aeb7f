package io.gpuq.webhook.admission;

import java.util.List;

/**
 * One step of DESIGN §3.3's pod mutation. A step edits the draft of the pod in place and must be
 * idempotent: applied to its own output it changes nothing, which is what makes the webhook's patch
 * empty on reinvocation.
 */
interface PodMutation {

    /**
     * @param context  facts resolved from the pod as it was admitted
     * @param pod      the draft being edited; writes only through its methods
     * @param warnings where to report changes a user may not expect
     */
    void apply(PodContext context, PodDraft pod, List<String> warnings);
}
