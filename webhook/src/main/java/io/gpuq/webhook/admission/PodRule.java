package io.gpuq.webhook.admission;

/** One validation rule for pods; adds denials and warnings to the findings, never throws. */
interface PodRule {

    /**
     * @param context the pod being admitted
     * @param old     the pod before an UPDATE, or null on CREATE (or when the review carries none)
     * @param findings where to record the outcome
     */
    void check(PodContext context, PodFacts old, Findings findings);
}
