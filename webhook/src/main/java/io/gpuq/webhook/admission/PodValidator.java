package io.gpuq.webhook.admission;

import java.util.List;

/**
 * The validating webhook for pods (DESIGN §3.3). It sees the pod after every mutating webhook ran, so
 * it judges what will actually be stored. Every denial is collected, not just the first, so a user
 * can fix a manifest in one go.
 */
final class PodValidator {

    /** The subresource through which {@code kubectl debug} adds containers to a running pod. */
    static final String EPHEMERAL_CONTAINERS = "ephemeralcontainers";

    private static final PodRule VISIBLE_DEVICES = new VisibleDevicesRule();
    private static final List<PodRule> CREATE_ROUTED = List.of(new LabelRule(), new ProjectRule(),
            new GpuRequestRule(), new SchedulingWarnings());
    private static final List<PodRule> CREATE_WITH_PROJECT = List.of(new NodePoolRule(), new QuotaRule());
    private static final List<PodRule> UPDATE_ROUTED = List.of(new GpuAnnotationChangeRule(), new LabelRule());

    Verdict validate(ReviewRequest request, PodContext context) {
        if (!context.optedIn() || context.pod().isMirror()) {
            return Verdict.allow();
        }
        Findings findings = new Findings();
        PodFacts old = request.isCreate() || request.oldObject() == null ? null : new PodFacts(request.oldObject());
        if (request.subResource() != null) {
            if (EPHEMERAL_CONTAINERS.equalsIgnoreCase(request.subResource())) {
                VISIBLE_DEVICES.check(context, old, findings);
            }
            return Verdict.of(findings);
        }
        boolean schedulerUser = request.username() != null
                && context.settings().schedulerUsers().contains(request.username());
        new DeviceOwnershipRule(request.username(), schedulerUser).check(context, old, findings);
        VISIBLE_DEVICES.check(context, old, findings);
        if (!context.routed()) {
            return Verdict.of(findings);
        }
        if (request.isUpdate()) {
            UPDATE_ROUTED.forEach(rule -> rule.check(context, old, findings));
            return Verdict.of(findings);
        }
        CREATE_ROUTED.forEach(rule -> rule.check(context, null, findings));
        if (context.hasProject()) {
            CREATE_WITH_PROJECT.forEach(rule -> rule.check(context, null, findings));
        }
        return Verdict.of(findings);
    }
}
