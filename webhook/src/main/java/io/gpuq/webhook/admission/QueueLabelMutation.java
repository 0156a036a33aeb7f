package io.gpuq.webhook.admission;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gpuq.api.Labels;

import java.util.List;

/** Step 2: label {@code runai/queue} names the project the pod is charged to. */
final class QueueLabelMutation implements PodMutation {

    @Override
    public void apply(PodContext context, PodDraft pod, List<String> warnings) {
        if (!context.hasProject() || JsonReads.hasText(context.pod().label(Labels.QUEUE))) {
            return;
        }
        ObjectNode labels = pod.object("metadata", "labels");
        if (labels != null) {
            labels.put(Labels.QUEUE, context.project().projectName());
        }
    }
}
