package io.gpuq.webhook.admission;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpuq.api.Labels;
import io.gpuq.api.Names;

/**
 * A pod may ask only for pools its project has: by the {@code runai/node-pool} label, by a
 * nodeSelector on that label, or by required node affinity on it.
 */
final class NodePoolRule implements PodRule {

    @Override
    public void check(PodContext context, PodFacts old, Findings findings) {
        PoolChoice pools = context.pools();
        if (pools.problem() != null) {
            findings.deny(pools.problem());
        }
        String project = context.project().projectName();
        String allowed = "; allowed pools: " + String.join(", ", pools.projectPools().keySet());
        String selected = JsonReads.textAt(context.pod().spec(), "nodeSelector", Labels.NODE_POOL);
        if (selected != null && !pools.allowed(selected)) {
            findings.deny("spec.nodeSelector " + Labels.NODE_POOL + " " + Messages.quote(selected)
                    + " names a node pool that project " + Messages.quote(project) + " does not have" + allowed);
        }
        JsonNode terms = JsonReads.at(context.pod().spec(), "affinity", "nodeAffinity",
                "requiredDuringSchedulingIgnoredDuringExecution", "nodeSelectorTerms");
        for (JsonNode term : PodFacts.objects(terms)) {
            for (JsonNode expression : PodFacts.objects(term.get("matchExpressions"))) {
                if (!Labels.NODE_POOL.equals(JsonReads.textAt(expression, "key"))) {
                    continue;
                }
                String operator = JsonReads.textAt(expression, "operator");
                if ("In".equals(operator)) {
                    JsonNode values = expression.get("values");
                    if (values != null && values.isArray()) {
                        for (JsonNode value : values) {
                            String pool = JsonReads.text(value);
                            if (pool != null && !pools.allowed(pool)) {
                                findings.deny("spec.affinity requires " + Labels.NODE_POOL + " in " + Messages.quote(pool)
                                        + ", a node pool that project " + Messages.quote(project) + " does not have"
                                        + allowed);
                            }
                        }
                    }
                } else if ("DoesNotExist".equals(operator) && !pools.allowed(Names.DEFAULT_NODE_POOL)) {
                    findings.deny("spec.affinity requires nodes without " + Labels.NODE_POOL + " (the "
                            + Names.DEFAULT_NODE_POOL + " pool), which project " + Messages.quote(project)
                            + " does not use" + allowed);
                }
            }
        }
    }
}
