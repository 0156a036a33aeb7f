package io.gpuq.webhook.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gpuq.api.Labels;
import io.gpuq.api.WorkloadType;

import java.util.List;
import java.util.Optional;

/**
 * Step 5: the pod runs with one of the gpuq PriorityClasses, chosen by {@code runai/workload-type}
 * unless it already names one; {@code runai/preemptible} records what that class means.
 */
final class PriorityMutation implements PodMutation {

    @Override
    public void apply(PodContext context, PodDraft pod, List<String> warnings) {
        ObjectNode spec = pod.object("spec");
        if (spec == null) {
            return;
        }
        String named = context.pod().priorityClassName();
        Optional<WorkloadType> ours = PriorityClasses.byClassName(named);
        WorkloadType type = ours.orElseGet(() -> PriorityClasses.fromLabel(context.pod(), context.settings()));
        if (ours.isEmpty()) {
            spec.put("priorityClassName", type.priorityClassName());
            if (JsonReads.hasText(named)) {
                warnings.add("priorityClassName " + Messages.quote(named) + " is not a gpuq class ("
                        + WorkloadType.allowedLabels() + ") and was replaced by " + Messages.quote(type.priorityClassName())
                        + " from " + Labels.WORKLOAD_TYPE + "; name one of the gpuq classes to choose it yourself");
            }
        }
        // The API server's Priority admission fills spec.priority from the class name; a value computed
        // for another class would contradict the new name, so it is dropped to be recomputed.
        JsonNode priority = spec.get("priority");
        if (priority != null && !priority.isNull()
                && (ours.isEmpty() || !priority.isIntegralNumber() || priority.asLong() != type.priority())) {
            spec.remove("priority");
        }
        if (!JsonReads.hasText(context.pod().label(Labels.PREEMPTIBLE))) {
            ObjectNode labels = pod.object("metadata", "labels");
            if (labels != null) {
                labels.put(Labels.PREEMPTIBLE, Boolean.toString(type.preemptible()));
            }
        }
    }
}
