package io.gpuq.webhook.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gpuq.api.Labels;
import io.gpuq.api.Names;

import java.util.ArrayList;
import java.util.List;

/**
 * Step 4: a required node affinity that keeps the pod inside its project's pools. Node selector terms
 * are ORed and the expressions inside a term ANDed, so the pool requirement is added to every term the
 * user wrote; the {@code default} pool is "no pool label" (DoesNotExist), which cannot share one
 * expression with named pools (In), so a project with both needs each term twice. A term that already
 * constrains the pool label is the user's (or a previous pass's) choice and is kept as it is.
 */
final class NodePoolMutation implements PodMutation {

    private static final String[] TERMS_PATH = {"spec", "affinity", "nodeAffinity",
            "requiredDuringSchedulingIgnoredDuringExecution", "nodeSelectorTerms"};
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @Override
    public void apply(PodContext context, PodDraft pod, List<String> warnings) {
        PoolChoice pools = context.pools();
        if (pools == null || pools.problem() != null || pools.candidates().isEmpty()) {
            return;
        }
        JsonNode existing = JsonReads.at(pod.root(), TERMS_PATH);
        if (!existing.isMissingNode() && !existing.isNull() && !existing.isArray()) {
            return;
        }
        List<JsonNode> terms = PodFacts.objects(existing);
        if (existing.isArray() && terms.size() != existing.size()) {
            return;
        }
        if (!terms.isEmpty() && terms.stream().allMatch(NodePoolMutation::settled)) {
            return;
        }
        ArrayNode target = termsArray(pod);
        if (target == null) {
            return;
        }
        List<ObjectNode> alternatives = requirements(pools.candidates());
        List<JsonNode> result = new ArrayList<>();
        if (terms.isEmpty()) {
            for (ObjectNode requirement : alternatives) {
                ObjectNode term = NODES.objectNode();
                term.putArray("matchExpressions").add(requirement);
                result.add(term);
            }
        } else {
            // The first alternative goes into the user's terms in place, further ones are appended, so
            // the patch shows additions to existing terms rather than a rewritten list.
            for (JsonNode term : terms) {
                result.add(settled(term) ? term : withRequirement(term, alternatives.get(0)));
            }
            for (ObjectNode requirement : alternatives.subList(1, alternatives.size())) {
                for (JsonNode term : terms) {
                    if (!settled(term)) {
                        result.add(withRequirement(term, requirement));
                    }
                }
            }
        }
        target.removeAll();
        target.addAll(result);
    }

    /**
     * A term the mutation must not touch: it already names the pool label, it is empty (it matches no
     * node, and adding to it would make it match some), or its expressions are not a list.
     */
    private static boolean settled(JsonNode term) {
        JsonNode expressions = term.get("matchExpressions");
        JsonNode fields = term.get("matchFields");
        boolean noExpressions = expressions == null || expressions.isNull() || (expressions.isArray() && expressions.isEmpty());
        boolean noFields = fields == null || !fields.isArray() || fields.isEmpty();
        if (noExpressions && noFields) {
            return true;
        }
        if (expressions != null && !expressions.isNull() && !expressions.isArray()) {
            return true;
        }
        if (expressions != null && expressions.isArray()) {
            for (JsonNode e : expressions) {
                if (Labels.NODE_POOL.equals(JsonReads.textAt(e, "key"))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static JsonNode withRequirement(JsonNode term, ObjectNode requirement) {
        ObjectNode copy = ((ObjectNode) term).deepCopy();
        // settled() let through only terms whose expressions are a list or absent.
        JsonNode expressions = copy.get("matchExpressions");
        ArrayNode list = expressions != null && expressions.isArray() ? (ArrayNode) expressions : copy.putArray("matchExpressions");
        list.add(requirement.deepCopy());
        return copy;
    }

    /** One requirement per way of being in the pools: no label (default pool), or a label among the rest. */
    static List<ObjectNode> requirements(List<String> pools) {
        List<ObjectNode> out = new ArrayList<>(2);
        ArrayNode named = null;
        for (String pool : pools) {
            if (Names.DEFAULT_NODE_POOL.equals(pool)) {
                ObjectNode none = NODES.objectNode();
                none.put("key", Labels.NODE_POOL);
                none.put("operator", "DoesNotExist");
                out.add(none);
            } else {
                if (named == null) {
                    ObjectNode in = NODES.objectNode();
                    in.put("key", Labels.NODE_POOL);
                    in.put("operator", "In");
                    named = in.putArray("values");
                    out.add(in);
                }
                named.add(pool);
            }
        }
        return out;
    }

    private static ArrayNode termsArray(PodDraft pod) {
        ObjectNode parent = pod.object("spec", "affinity", "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution");
        return pod.array(parent, "nodeSelectorTerms");
    }
}
