package io.gpuq.scheduler.cluster;

import io.gpuq.api.Annotations;
import io.gpuq.scheduler.engine.model.DeviceShare;
import io.gpuq.scheduler.engine.model.PodAllocation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Binds assumed placements once they can run: the evicted pods they wait for are gone and every
 * shared device has a reservation that reported its UUID. A gang is released together. Each pod is
 * bound with one write: the Binding carries {@code runai/gpu-devices} (device indices, or the
 * reservation UUIDs of shared devices) as an annotation, which the API server sets on the pod with
 * the node, so the container's downward-API {@code NVIDIA_VISIBLE_DEVICES} is right from the start. Conflicts and missing pods drop the assumption (the next cycle decides
 * again); server errors and throttling are retried a few times with backoff.
 */
final class Binder {
    private static final Logger LOG = Logger.getLogger(Binder.class.getName());
    private static final int ATTEMPTS = 4;

    private final KubeWriter writer;
    private final AssumeCache cache;
    private final EventRecorder events;
    private final WriteObserver observer;
    private final ExecutorService workers;
    private final Duration backoff;

    Binder(KubeWriter writer, AssumeCache cache, EventRecorder events, WriteObserver observer, ExecutorService workers,
           Duration backoff) {
        this.writer = writer;
        this.cache = cache;
        this.events = events;
        this.observer = observer;
        this.workers = workers;
        this.backoff = backoff;
    }

    /**
     * Releases the waiting gangs that are ready and drops the ones past their deadline.
     *
     * @param present uids of the pods that still exist
     * @param uuidOf  the reported UUID of a device's reservation
     */
    void dispatch(Set<String> present, Function<SnapshotView.DeviceRef, Optional<String>> uuidOf, long nowMillis) {
        Map<String, List<Assumption>> byWorkload = new HashMap<>();
        for (Assumption a : cache.all()) {
            if (a.state() == Assumption.State.WAITING || a.state() == Assumption.State.BOUND) {
                if (a.deadlineMillis() < nowMillis) {
                    cache.forget(a.podKey());
                    LOG.warning(() -> "placement of " + a.podKey() + " on " + a.allocation().node() + " expired "
                            + (a.state() == Assumption.State.WAITING ? "before it could be bound" : "without the pod showing bound")
                            + "; it will be scheduled again");
                    continue;
                }
                if (a.state() == Assumption.State.WAITING) {
                    byWorkload.computeIfAbsent(a.workloadId(), k -> new ArrayList<>()).add(a);
                }
            }
        }
        for (List<Assumption> gang : byWorkload.values()) {
            Map<String, String> devices = new HashMap<>();
            boolean ready = true;
            for (Assumption a : gang) {
                if (a.waitFor().stream().anyMatch(present::contains)) {
                    ready = false;
                    break;
                }
                Optional<String> value = devicesValue(a.allocation(), uuidOf);
                if (value.isEmpty()) {
                    ready = false;
                    break;
                }
                devices.put(a.podKey(), value.get());
            }
            if (!ready) {
                continue;
            }
            for (Assumption a : gang) {
                if (cache.transition(a.podKey(), a.podUid(), Assumption.State.WAITING, Assumption.State.BINDING)) {
                    String value = devices.get(a.podKey());
                    workers.execute(() -> bind(a, value));
                }
            }
        }
    }

    /** Device indices for whole devices; the reservation UUIDs for shared ones (empty until reported). */
    static Optional<String> devicesValue(PodAllocation alloc,
                                         Function<SnapshotView.DeviceRef, Optional<String>> uuidOf) {
        List<String> out = new ArrayList<>();
        for (DeviceShare d : alloc.devices()) {
            if (d.isWhole()) {
                out.add(Integer.toString(d.index()));
            } else {
                Optional<String> uuid = uuidOf.apply(new SnapshotView.DeviceRef(alloc.node(), d.index()));
                if (uuid.isEmpty()) {
                    return Optional.empty();
                }
                out.add(uuid.get());
            }
        }
        return Optional.of(String.join(",", out));
    }

    private void bind(Assumption a, String devices) {
        String[] nsName = a.podKey().split("/", 2);
        String node = a.allocation().node();
        ApiResult result = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            result = writer.bind(nsName[0], nsName[1], a.podUid(), node,
                    devices.isEmpty() ? Map.of() : Map.of(Annotations.GPU_DEVICES, devices));
            if (result.ok() || !result.retriable()) {
                break;
            }
            sleep(backoff.multipliedBy(1L << (attempt - 1)));
        }
        ApiResult r = result;
        if (r.ok()) {
            cache.transition(a.podKey(), a.podUid(), Assumption.State.BINDING, Assumption.State.BOUND);
            observer.bindResult("success");
            String where = devices.isEmpty() ? "" : " (GPU devices " + devices + ")";
            events.pod(nsName[0], nsName[1], a.podUid(), false, "Scheduled",
                    "Successfully assigned " + a.podKey() + " to " + node + where);
            LOG.fine(() -> "bound " + a.podKey() + " to " + node + where);
            return;
        }
        cache.forget(a.podKey());
        if (r.conflict() || r.notFound()) {
            observer.bindResult("conflict");
            LOG.info(() -> "binding " + a.podKey() + " to " + node + " not applied (" + r.code() + " " + r.message()
                    + "); it will be scheduled again if it still exists");
        } else {
            observer.bindResult("error");
            LOG.warning(() -> "binding " + a.podKey() + " to " + node + " failed after " + ATTEMPTS + " attempts ("
                    + r.code() + " " + r.message() + "); it will be scheduled again");
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String describe(List<PodAllocation> pods) {
        return pods.stream().map(p -> p.pod() + "@" + p.node()).collect(Collectors.joining(", "));
    }
}
