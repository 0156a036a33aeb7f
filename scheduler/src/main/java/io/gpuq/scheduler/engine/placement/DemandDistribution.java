package io.gpuq.scheduler.engine.placement;

import io.gpuq.scheduler.engine.model.GpuDemand;
import io.gpuq.scheduler.engine.model.PodRequest;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How often each pod shape occurs in a sample of demand, as probabilities. CPU-only shapes are left
 * out: to them every idle GPU is equally useless wherever a pod goes, so they would add the same
 * amount to every node's score and change no decision.
 */
final class DemandDistribution {
    /** One shape and its probability. */
    record Entry(DemandShape shape, double weight) {
    }

    private final List<Entry> entries;

    private DemandDistribution(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    static DemandDistribution of(Collection<PodRequest> sample) {
        Map<DemandShape, Integer> counts = new LinkedHashMap<>();
        int total = 0;
        for (PodRequest pod : sample) {
            if (pod.gpu().kind() == GpuDemand.Kind.NONE) {
                continue;
            }
            counts.merge(DemandShape.of(pod), 1, Integer::sum);
            total++;
        }
        List<Entry> out = new ArrayList<>(counts.size());
        for (Map.Entry<DemandShape, Integer> e : counts.entrySet()) {
            out.add(new Entry(e.getKey(), e.getValue() / (double) total));
        }
        return new DemandDistribution(out);
    }

    List<Entry> entries() {
        return entries;
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }
}
