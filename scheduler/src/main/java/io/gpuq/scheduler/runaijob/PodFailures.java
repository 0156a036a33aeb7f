package io.gpuq.scheduler.runaijob;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;

/** Why a pod ended, in a few words for Events and logs: the pod's reason, else the first failed container's exit. */
final class PodFailures {

    private PodFailures() {
    }

    /** {@code " (reason: message)"}, {@code " (container c exited 1: Error)"}, or empty when nothing is known. */
    static String summary(Pod pod) {
        PodStatus status = pod.getStatus();
        if (status == null) {
            return "";
        }
        if (status.getReason() != null) {
            return " (" + status.getReason() + (status.getMessage() == null ? "" : ": " + status.getMessage()) + ")";
        }
        if (status.getContainerStatuses() != null) {
            for (ContainerStatus c : status.getContainerStatuses()) {
                ContainerStateTerminated t = c.getState() == null ? null : c.getState().getTerminated();
                if (t != null && t.getExitCode() != null && t.getExitCode() != 0) {
                    return " (container " + c.getName() + " exited " + t.getExitCode()
                            + (t.getReason() == null ? "" : ": " + t.getReason()) + ")";
                }
            }
        }
        return "";
    }
}
