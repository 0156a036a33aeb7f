package io.gpuq.scheduler.engine.model;

import java.util.List;
import java.util.Map;

/** A node selector term: all requirements must hold. Terms of one affinity are ORed. */
public record NodeSelectorTerm(List<NodeSelectorRequirement> matchExpressions) {
    public NodeSelectorTerm {
        matchExpressions = matchExpressions == null ? List.of() : List.copyOf(matchExpressions);
    }

    public boolean matches(Map<String, String> labels) {
        for (NodeSelectorRequirement r : matchExpressions) {
            if (!r.matches(labels)) {
                return false;
            }
        }
        return true;
    }
}
