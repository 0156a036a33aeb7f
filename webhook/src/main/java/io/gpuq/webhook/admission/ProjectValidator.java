package io.gpuq.webhook.admission;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpuq.api.Names;
import io.gpuq.api.crd.Project;
import io.gpuq.webhook.ClusterView;
import io.gpuq.webhook.WebhookSettings;

import java.util.HashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * {@code /validate-run-ai-v1-project}: a Project's quota must make sense on its own (no negative
 * quota but the -1 sentinel, deserved within maxGpus, each pool once), its department must exist, and
 * its namespace must not already belong to another Project.
 */
final class ProjectValidator {

    private final ClusterView view;

    ProjectValidator(ClusterView view) {
        this.view = view;
    }

    Verdict validate(ReviewRequest request, WebhookSettings settings) {
        JsonNode project = request.object();
        Findings findings = new Findings();
        QuotaFields.inSystemNamespace("Project", request.effectiveNamespace(), settings.systemNamespace(), findings);
        JsonNode spec = JsonReads.at(project, "spec");
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
        Double poolSum = checkPools(spec.get("nodePools"), findings);
        if (poolSum != null) {
            QuotaFields.deservedWithinMax(poolSum, "the sum of spec.nodePools[].deservedGpus", max, findings);
            if (deserved != null && deserved >= 0 && Math.abs(deserved - poolSum) > 1e-9) {
                findings.warn("spec.deservedGpus " + Messages.gpus(deserved) + " differs from the sum of spec.nodePools"
                        + "[].deservedGpus (" + Messages.gpus(poolSum) + "); the per-pool quotas apply");
            }
        } else {
            QuotaFields.deservedWithinMax(deserved, "spec.deservedGpus", max, findings);
        }
        checkDepartment(JsonReads.textAt(spec, "department"), settings, findings);
        checkNamespace(project, JsonReads.textAt(spec, "namespace"), findings);
        return Verdict.of(findings);
    }

    /** The sum of the pools' deserved GPUs, or null when no pools are listed or one deserves "all". */
    private Double checkPools(JsonNode pools, Findings findings) {
        if (pools == null || pools.isNull()) {
            return null;
        }
        if (!pools.isArray()) {
            findings.deny("spec.nodePools must be a list of {name, deservedGpus}");
            return null;
        }
        if (pools.isEmpty()) {
            return null;
        }
        Set<String> seen = new HashSet<>();
        double sum = 0;
        boolean all = false;
        for (int i = 0; i < pools.size(); i++) {
            JsonNode pool = pools.get(i);
            String path = "spec.nodePools[" + i + "]";
            String name = JsonReads.textAt(pool, "name");
            if (!JsonReads.hasText(name)) {
                findings.deny(path + ".name is missing: name the node pool (the value of the " + "runai/node-pool"
                        + " node label, or \"" + Names.DEFAULT_NODE_POOL + "\" for unlabelled nodes)");
            } else if (!seen.add(name)) {
                findings.deny("spec.nodePools names pool " + Messages.quote(name) + " more than once: list each pool once"
                        + " with its deservedGpus");
            } else if (!view.pools().containsKey(name)) {
                findings.warn("node pool " + Messages.quote(name) + " has no nodes yet; the project's quota there is"
                        + " unusable until nodes are labelled runai/node-pool=" + name);
            }
            Double poolDeserved = QuotaFields.number(pool, "deservedGpus", path + ".deservedGpus", findings);
            QuotaFields.deserved(poolDeserved, path + ".deservedGpus", findings);
            if (poolDeserved != null && poolDeserved == QuotaFields.SENTINEL) {
                all = true;
            } else if (poolDeserved != null && poolDeserved > 0) {
                sum += poolDeserved;
            }
        }
        return all ? null : sum;
    }

    private void checkDepartment(String department, WebhookSettings settings, Findings findings) {
        if (!JsonReads.hasText(department) || Names.DEFAULT_DEPARTMENT.equals(department)) {
            return;
        }
        if (view.department(department).isEmpty()) {
            findings.deny("spec.department " + Messages.quote(department) + " does not exist: create Department "
                    + Messages.quote(department) + " in namespace " + Messages.quote(settings.systemNamespace())
                    + " first, or leave spec.department out to use the default department");
        }
    }

    private void checkNamespace(JsonNode project, String specNamespace, Findings findings) {
        String name = JsonReads.textAt(project, "metadata", "name");
        String namespace = JsonReads.hasText(specNamespace) ? specNamespace : name;
        if (!JsonReads.hasText(namespace)) {
            return;
        }
        Optional<Project> owner = view.projectForNamespace(namespace);
        if (owner.isPresent() && !Objects.equals(ProjectSpecs.name(owner.get()), name)) {
            findings.deny("namespace " + Messages.quote(namespace) + " already belongs to Project "
                    + Messages.quote(ProjectSpecs.name(owner.get())) + ": each namespace maps to one project; set"
                    + " spec.namespace to another namespace, or change Project "
                    + Messages.quote(ProjectSpecs.name(owner.get())));
        }
    }
}
