package io.gpuq.webhook.admission;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpuq.api.Annotations;
import io.gpuq.webhook.ClusterView;

import java.util.List;
import java.util.Optional;

/**
 * Step 6: pods of one owner (a RunaiJob, a Job with parallelism, a PyTorchJob-style job) share a gang
 * key and size, so the scheduler starts them all or none. Values the user set are kept.
 */
final class GangMutation implements PodMutation {

    @Override
    public void apply(PodContext context, PodDraft pod, List<String> warnings) {
        JsonNode owner = context.pod().owner();
        String kind = JsonReads.textAt(owner, "kind");
        String name = JsonReads.textAt(owner, "name");
        if (!JsonReads.hasText(kind) || !JsonReads.hasText(name) || context.namespace() == null) {
            return;
        }
        Optional<ClusterView.Gang> gang = context.view().gangOf(context.namespace(),
                JsonReads.textAt(owner, "apiVersion"), kind, name);
        if (gang.isEmpty() || !JsonReads.hasText(gang.get().podGroupName())) {
            return;
        }
        pod.putIfAbsent(gang.get().podGroupName(), Annotations.POD_GROUP_NAME, "metadata", "annotations");
        if (gang.get().minMember() >= 1) {
            pod.putIfAbsent(Integer.toString(gang.get().minMember()), Annotations.POD_GROUP_MIN_MEMBER,
                    "metadata", "annotations");
        }
    }
}
