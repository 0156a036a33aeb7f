package io.gpuq.scheduler.engine.model;

import java.util.Objects;

/** A node taint. {@code effect} is one of NoSchedule, PreferNoSchedule, NoExecute. */
public record Taint(String key, String value, String effect) {
    public Taint {
        Objects.requireNonNull(key, "taint key");
        value = value == null ? "" : value;
        effect = effect == null ? "" : effect;
    }

    /** PreferNoSchedule is a soft preference; only the hard effects keep a pod off the node. */
    public boolean isHard() {
        return "NoSchedule".equals(effect) || "NoExecute".equals(effect);
    }
}
