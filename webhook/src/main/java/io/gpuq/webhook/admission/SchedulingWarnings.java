package io.gpuq.webhook.admission;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpuq.api.Labels;
import io.gpuq.api.WorkloadType;

import java.util.Objects;
import java.util.Optional;

/** Allowed but surprising: settings the GPU scheduler ignores, or a project charged across namespaces. */
final class SchedulingWarnings implements PodRule {

    private static final String IGNORED = " is ignored by the gpuq scheduler, which honours nodeSelector, required"
            + " node affinity, taints and tolerations";

    @Override
    public void check(PodContext context, PodFacts old, Findings findings) {
        PodFacts pod = context.pod();
        JsonNode affinity = JsonReads.at(pod.spec(), "affinity");
        if (present(JsonReads.at(affinity, "nodeAffinity", "preferredDuringSchedulingIgnoredDuringExecution"))) {
            findings.warn("spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution" + IGNORED);
        }
        if (present(JsonReads.at(affinity, "podAffinity"))) {
            findings.warn("spec.affinity.podAffinity" + IGNORED);
        }
        if (present(JsonReads.at(affinity, "podAntiAffinity"))) {
            findings.warn("spec.affinity.podAntiAffinity" + IGNORED);
        }
        if (present(JsonReads.at(pod.spec(), "topologySpreadConstraints"))) {
            findings.warn("spec.topologySpreadConstraints" + IGNORED);
        }
        String className = pod.priorityClassName();
        Optional<WorkloadType> named = PriorityClasses.byClassName(className);
        if (JsonReads.hasText(className) && named.isEmpty()) {
            findings.warn("priorityClassName " + Messages.quote(className) + " is not a gpuq class ("
                    + WorkloadType.allowedLabels() + "); the GPU scheduler treats the pod as "
                    + Messages.quote(PriorityClasses.fromLabel(pod, context.settings()).priorityClassName()));
        }
        String typeLabel = pod.label(Labels.WORKLOAD_TYPE);
        Optional<WorkloadType> labelled = WorkloadType.fromLabel(typeLabel);
        if (named.isPresent() && labelled.isPresent() && named.get() != labelled.get()) {
            findings.warn("label " + Labels.WORKLOAD_TYPE + " " + Messages.quote(typeLabel)
                    + " does not match priorityClassName " + Messages.quote(className) + "; the class decides");
        }
        if (context.hasProject()) {
            String home = context.project().project().effectiveNamespace();
            if (!Objects.equals(home, context.namespace())) {
                findings.warn("the pod is charged to project " + Messages.quote(context.project().projectName())
                        + ", whose namespace is " + Messages.quote(home) + ", not " + Messages.quote(context.namespace()));
            }
        }
    }

    private static boolean present(JsonNode node) {
        return !node.isMissingNode() && !node.isNull() && !(node.isContainerNode() && node.isEmpty());
    }
}
