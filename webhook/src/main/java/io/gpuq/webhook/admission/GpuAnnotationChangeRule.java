package io.gpuq.webhook.admission;

import io.gpuq.api.Annotations;

import java.util.List;
import java.util.Objects;

/**
 * A pod's GPU share is fixed when it is admitted: the scheduler accounts for it and the container was
 * started with it. Changing the annotations that state it afterwards would only make the books lie.
 */
final class GpuAnnotationChangeRule implements PodRule {

    private static final List<String> FIXED = List.of(Annotations.GPU_FRACTION, Annotations.GPU_MEMORY,
            Annotations.GPU_FRACTION_NUM_DEVICES, Annotations.GPU_FRACTION_CONTAINER_NAME,
            Annotations.NORMALISED_GPU_FRACTION);

    @Override
    public void check(PodContext context, PodFacts old, Findings findings) {
        if (old == null) {
            if (context.request() != null) {
                GpuRequestRule.checkNormalisedFraction(context.pod().annotation(Annotations.NORMALISED_GPU_FRACTION),
                        context.request(), findings);
            }
            return;
        }
        for (String key : FIXED) {
            String before = old.annotation(key);
            String now = context.pod().annotation(key);
            if (!Objects.equals(before, now)) {
                findings.deny("annotation " + key + " cannot change after the pod is created (was " + describe(before)
                        + ", now " + describe(now) + "): the pod's GPU share is fixed at admission;"
                        + " delete and recreate the pod to change it");
            }
        }
    }

    private static String describe(String value) {
        return value == null ? "absent" : Messages.quote(value);
    }
}
