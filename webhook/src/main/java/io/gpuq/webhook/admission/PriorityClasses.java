package io.gpuq.webhook.admission;

import io.gpuq.api.Labels;
import io.gpuq.api.WorkloadType;
import io.gpuq.webhook.WebhookSettings;

import java.util.Optional;

/** The PriorityClasses of DESIGN §3.2 as they apply to one pod. */
final class PriorityClasses {

    static final String TRUE = "true";
    static final String FALSE = "false";

    private PriorityClasses() {
    }

    /** The workload type whose class has this name, if it is one of ours. */
    static Optional<WorkloadType> byClassName(String priorityClassName) {
        if (priorityClassName == null) {
            return Optional.empty();
        }
        for (WorkloadType type : WorkloadType.values()) {
            if (type.priorityClassName().equals(priorityClassName)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }

    /** The type the pod's {@code runai/workload-type} label asks for, else the configured default. */
    static WorkloadType fromLabel(PodFacts pod, WebhookSettings settings) {
        return WorkloadType.fromLabel(pod.label(Labels.WORKLOAD_TYPE)).orElse(settings.defaultWorkloadType());
    }

    /** The class the pod runs with once mutated: the one it names if it is ours, else from its label. */
    static WorkloadType effective(PodFacts pod, WebhookSettings settings) {
        return byClassName(pod.priorityClassName()).orElseGet(() -> fromLabel(pod, settings));
    }

    /**
     * Whether the pod may be preempted: its class says so, or its user volunteered with
     * {@code runai/preemptible: "true"} on a non-preemptible class.
     */
    static boolean preemptible(PodFacts pod, WebhookSettings settings) {
        return effective(pod, settings).preemptible() || TRUE.equals(pod.label(Labels.PREEMPTIBLE));
    }
}
