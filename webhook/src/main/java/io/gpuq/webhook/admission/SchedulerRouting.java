package io.gpuq.webhook.admission;

import io.gpuq.api.Names;
import io.gpuq.webhook.WebhookSettings;

/** DESIGN §3.3 step 1: which pods of an opted-in namespace go to the GPU scheduler. */
final class SchedulerRouting {

    private SchedulerRouting() {
    }

    /**
     * With {@code enforceScheduler} every pod is routed, so quota cannot be bypassed by naming another
     * scheduler; without it only pods that left the choice to Kubernetes (no name, or kube-scheduler's
     * name) are, plus those that already name ours.
     */
    static boolean routes(String schedulerName, WebhookSettings settings) {
        if (settings.enforceScheduler() || settings.schedulerName().equals(schedulerName)) {
            return true;
        }
        return schedulerName == null || schedulerName.isBlank() || Names.DEFAULT_KUBE_SCHEDULER.equals(schedulerName);
    }
}
