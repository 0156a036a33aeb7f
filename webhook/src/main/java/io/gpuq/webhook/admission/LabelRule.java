package io.gpuq.webhook.admission;

import io.gpuq.api.Labels;
import io.gpuq.api.WorkloadType;

import java.util.Arrays;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The labels that steer priority: {@code runai/workload-type} must name a type, and
 * {@code runai/preemptible} must be true or false and cannot make a preemptible class non-preemptible
 * (that would let work above quota escape reclaim). On UPDATE only a changed label is judged.
 */
final class LabelRule implements PodRule {

    @Override
    public void check(PodContext context, PodFacts old, Findings findings) {
        PodFacts pod = context.pod();
        String type = pod.label(Labels.WORKLOAD_TYPE);
        if (type != null && changed(old, Labels.WORKLOAD_TYPE, type) && WorkloadType.fromLabel(type).isEmpty()) {
            findings.deny("label " + Labels.WORKLOAD_TYPE + " " + Messages.quote(type) + " is not allowed: use one of "
                    + WorkloadType.allowedLabels());
        }
        String preemptible = pod.label(Labels.PREEMPTIBLE);
        if (preemptible == null || !changed(old, Labels.PREEMPTIBLE, preemptible)) {
            return;
        }
        if (!PriorityClasses.TRUE.equals(preemptible) && !PriorityClasses.FALSE.equals(preemptible)) {
            findings.deny("label " + Labels.PREEMPTIBLE + " " + Messages.quote(preemptible)
                    + " is not allowed: use \"true\" or \"false\"");
            return;
        }
        WorkloadType effective = PriorityClasses.effective(pod, context.settings());
        if (PriorityClasses.FALSE.equals(preemptible) && effective.preemptible()) {
            findings.deny("label " + Labels.PREEMPTIBLE + " \"false\" is not allowed with the preemptible class "
                    + Messages.quote(effective.priorityClassName()) + ": only the classes with priority "
                    + WorkloadType.NON_PREEMPTIBLE_THRESHOLD + " or more (" + nonPreemptibleClasses()
                    + ") are non-preemptible; use one of those, or remove the label");
        }
    }

    private static boolean changed(PodFacts old, String key, String now) {
        return old == null || !Objects.equals(old.label(key), now);
    }

    private static String nonPreemptibleClasses() {
        return Arrays.stream(WorkloadType.values()).filter(t -> !t.preemptible())
                .map(WorkloadType::priorityClassName).collect(Collectors.joining(", "));
    }
}
