package io.gpuq.webhook.admission;

/** A pod sent to the GPU scheduler must belong to a project, or no quota would govern it. */
final class ProjectRule implements PodRule {

    @Override
    public void check(PodContext context, PodFacts old, Findings findings) {
        if (!context.hasProject()) {
            findings.deny(context.project().problem());
        }
    }
}
