package io.gpuq.scheduler.engine.model;

import java.util.List;
import java.util.Map;

/** One requirement of a required node affinity term (operators In, NotIn, Exists, DoesNotExist, Gt, Lt). */
public record NodeSelectorRequirement(String key, String operator, List<String> values) {
    public NodeSelectorRequirement {
        values = values == null ? List.of() : List.copyOf(values);
    }

    public boolean matches(Map<String, String> labels) {
        String v = labels.get(key);
        switch (operator) {
            case "In":
                return v != null && values.contains(v);
            case "NotIn":
                return v == null || !values.contains(v);
            case "Exists":
                return v != null;
            case "DoesNotExist":
                return v == null;
            case "Gt":
            case "Lt":
                if (v == null || values.size() != 1) {
                    return false;
                }
                try {
                    long have = Long.parseLong(v);
                    long bound = Long.parseLong(values.get(0));
                    return "Gt".equals(operator) ? have > bound : have < bound;
                } catch (NumberFormatException e) {
                    return false;
                }
            default:
                return false;
        }
    }
}
