package io.gpuq.webhook.admission;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpuq.webhook.WebhookSettings;

/** {@code /validate-run-ai-v1-department}: a Department's quota must make sense on its own. */
final class DepartmentValidator {

    Verdict validate(ReviewRequest request, WebhookSettings settings) {
        Findings findings = new Findings();
        QuotaFields.inSystemNamespace("Department", request.effectiveNamespace(), settings.systemNamespace(), findings);
        JsonNode spec = JsonReads.at(request.object(), "spec");
        if (!spec.isMissingNode() && !spec.isNull() && !spec.isObject()) {
            findings.deny("spec must be an object");
            return Verdict.of(findings);
        }
        Double deserved = QuotaFields.number(spec, "deservedGpus", "spec.deservedGpus", findings);
        Double max = QuotaFields.number(spec, "maxGpus", "spec.maxGpus", findings);
        Double weight = QuotaFields.number(spec, "overQuotaWeight", "spec.overQuotaWeight", findings);
        QuotaFields.deserved(deserved, "spec.deservedGpus", findings);
        QuotaFields.max(max, "spec.maxGpus", findings);
        QuotaFields.weight(weight, "spec.overQuotaWeight", findings);
        QuotaFields.priority(spec, findings);
        QuotaFields.deservedWithinMax(deserved, "spec.deservedGpus", max, findings);
        return Verdict.of(findings);
    }
}
