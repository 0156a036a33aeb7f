package io.gpuq.scheduler.engine.model;

/**
 * A pod toleration with kube-scheduler semantics: an empty key with {@code Exists} tolerates every
 * taint; an empty effect matches every effect; {@code operator} defaults to {@code Equal}.
 */
public record Toleration(String key, String operator, String value, String effect) {
    public Toleration {
        key = key == null ? "" : key;
        operator = operator == null || operator.isEmpty() ? "Equal" : operator;
        value = value == null ? "" : value;
        effect = effect == null ? "" : effect;
    }

    public boolean tolerates(Taint taint) {
        if (!effect.isEmpty() && !effect.equals(taint.effect())) {
            return false;
        }
        if (key.isEmpty()) {
            return "Exists".equals(operator);
        }
        if (!key.equals(taint.key())) {
            return false;
        }
        return "Exists".equals(operator) || value.equals(taint.value());
    }
}
