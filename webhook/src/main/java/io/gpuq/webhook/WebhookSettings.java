package io.gpuq.webhook;

import io.gpuq.api.Labels;
import io.gpuq.api.Names;
import io.gpuq.api.WorkloadType;

import java.util.Set;

/**
 * Settings of the admission rules (DESIGN §3.3), hot-reloaded from a ConfigMap.
 *
 * @param optInLabelKey        namespace label that opts a namespace in
 * @param optInLabelValue      its required value
 * @param schedulerName        the scheduler pods are routed to
 * @param enforceScheduler     route every pod of an opted-in namespace (true) or only pods naming the
 *                             default scheduler (false)
 * @param defaultWorkloadType  workload type for pods without {@code runai/workload-type}
 * @param mpsPools             node pools whose GPUs are shared through MPS
 * @param systemNamespace      namespace of Projects and Departments
 * @param schedulerUsers       user names allowed to set {@code runai/gpu-devices} (the scheduler's
 *                             service account)
 */
public record WebhookSettings(
        String optInLabelKey,
        String optInLabelValue,
        String schedulerName,
        boolean enforceScheduler,
        WorkloadType defaultWorkloadType,
        Set<String> mpsPools,
        String systemNamespace,
        Set<String> schedulerUsers) {

    public WebhookSettings {
        mpsPools = Set.copyOf(mpsPools);
        schedulerUsers = Set.copyOf(schedulerUsers);
    }

    public static WebhookSettings defaults() {
        return new WebhookSettings(Labels.RUNAI_JOB, Labels.RUNAI_JOB_ENABLED, Names.SCHEDULER_NAME, true,
                WorkloadType.DEFAULT, Set.of(), Names.SYSTEM_NAMESPACE,
                Set.of("system:serviceaccount:" + Names.SYSTEM_NAMESPACE + ":gpuq-scheduler"));
    }
}
