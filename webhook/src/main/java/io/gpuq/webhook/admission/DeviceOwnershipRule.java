package io.gpuq.webhook.admission;

import io.gpuq.api.Annotations;

import java.util.Objects;

/**
 * {@code runai/gpu-devices} is the scheduler's word on which devices a pod got, and it feeds
 * {@code NVIDIA_VISIBLE_DEVICES}; anyone else setting it would pick their own GPUs past the quota.
 */
final class DeviceOwnershipRule implements PodRule {

    private final String username;
    private final boolean schedulerUser;

    DeviceOwnershipRule(String username, boolean schedulerUser) {
        this.username = username;
        this.schedulerUser = schedulerUser;
    }

    @Override
    public void check(PodContext context, PodFacts old, Findings findings) {
        if (schedulerUser) {
            return;
        }
        String now = context.pod().annotation(Annotations.GPU_DEVICES);
        String before = old == null ? null : old.annotation(Annotations.GPU_DEVICES);
        if (Objects.equals(now, before)) {
            return;
        }
        String who = username == null ? "this requester" : "user " + Messages.quote(username);
        if (old == null) {
            findings.deny("annotation " + Annotations.GPU_DEVICES + " " + Messages.quote(now) + " is written by the gpuq"
                    + " scheduler when it places the pod, and " + who + " may not set it: remove it from the pod;"
                    + " the scheduler chooses the devices within the pod's GPU request");
        } else {
            findings.deny("annotation " + Annotations.GPU_DEVICES + " may only be changed by the gpuq scheduler (was "
                    + describe(before) + ", now " + describe(now) + "), and " + who + " may not change it:"
                    + " leave it as the scheduler wrote it");
        }
    }

    private static String describe(String value) {
        return value == null ? "absent" : Messages.quote(value);
    }
}
