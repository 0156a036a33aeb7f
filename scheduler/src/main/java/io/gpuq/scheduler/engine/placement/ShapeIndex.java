package io.gpuq.scheduler.engine.placement;

import io.gpuq.scheduler.engine.model.PodRequest;

import java.util.HashMap;
import java.util.Map;

/** Gives each distinct pod shape a small dense number, so per-node caches can be plain arrays. */
final class ShapeIndex {
    private final Map<PodShape, Integer> ids = new HashMap<>();

    int idOf(PodRequest pod) {
        PodShape shape = PodShape.of(pod);
        Integer id = ids.get(shape);
        if (id == null) {
            id = ids.size();
            ids.put(shape, id);
        }
        return id;
    }
}
