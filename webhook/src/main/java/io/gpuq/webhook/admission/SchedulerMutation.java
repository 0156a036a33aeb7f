package io.gpuq.webhook.admission;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gpuq.api.Names;

import java.util.List;

/** Step 1: {@code spec.schedulerName} names the GPU scheduler. */
final class SchedulerMutation implements PodMutation {

    @Override
    public void apply(PodContext context, PodDraft pod, List<String> warnings) {
        String ours = context.settings().schedulerName();
        String current = context.pod().schedulerName();
        if (ours.equals(current)) {
            return;
        }
        ObjectNode spec = pod.object("spec");
        if (spec == null) {
            return;
        }
        spec.put("schedulerName", ours);
        if (JsonReads.hasText(current) && !Names.DEFAULT_KUBE_SCHEDULER.equals(current)) {
            warnings.add("spec.schedulerName " + Messages.quote(current) + " was replaced by " + Messages.quote(ours)
                    + ": every pod of namespace " + Messages.quote(context.namespace())
                    + " is scheduled by gpuq so that GPU quotas hold");
        }
    }
}
