package io.gpuq.scheduler.cluster;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReference;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Kubernetes Events from the scheduler (source {@code runai-scheduler}), written off the cycle
 * thread. The same reason on the same object is recorded at most once per {@code repeatInterval}
 * (pending pods are re-explained every cycle), and when the API server lags, events are dropped
 * rather than queued without bound.
 */
final class EventRecorder implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(EventRecorder.class.getName());

    private final KubeWriter writer;
    private final String component;
    private final String host;
    private final Duration repeatInterval;
    private final Map<String, Instant> lastSent = new ConcurrentHashMap<>();
    private final ThreadPoolExecutor executor;

    EventRecorder(KubeWriter writer, String component, String host, Duration repeatInterval) {
        this.writer = writer;
        this.component = component;
        this.host = host;
        this.repeatInterval = repeatInterval;
        this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(2048), r -> {
            Thread t = new Thread(r, "scheduler-events");
            t.setDaemon(true);
            return t;
        }, new ThreadPoolExecutor.DiscardPolicy());
    }

    /** Records an event on a pod. {@code warning} makes it type Warning. */
    void pod(String namespace, String name, String uid, boolean warning, String reason, String message) {
        ObjectReference ref = new ObjectReference();
        ref.setApiVersion("v1");
        ref.setKind("Pod");
        ref.setNamespace(namespace);
        ref.setName(name);
        ref.setUid(uid);
        record(ref, warning, reason, message);
    }

    void record(ObjectReference involved, boolean warning, String reason, String message) {
        String key = involved.getKind() + "/" + involved.getNamespace() + "/" + involved.getName() + "/" + reason;
        Instant now = Instant.now();
        Instant last = lastSent.get(key);
        if (last != null && last.plus(repeatInterval).isAfter(now)) {
            return;
        }
        lastSent.put(key, now);
        executor.execute(() -> {
            String ts = Instant.now().toString();
            var event = new EventBuilder()
                    .withNewMetadata()
                    .withName(involved.getName() + "." + UUID.randomUUID().toString().substring(0, 8))
                    .withNamespace(involved.getNamespace())
                    .endMetadata()
                    .withInvolvedObject(involved)
                    .withReason(reason)
                    .withMessage(message.length() > 1024 ? message.substring(0, 1021) + "..." : message)
                    .withType(warning ? "Warning" : "Normal")
                    .withNewSource(component, host)
                    .withReportingComponent(component)
                    .withReportingInstance(host)
                    .withFirstTimestamp(ts)
                    .withLastTimestamp(ts)
                    .withCount(1)
                    .build();
            ApiResult r = writer.call(() -> writer.client().v1().events().inNamespace(involved.getNamespace())
                    .resource(event).create());
            if (!r.ok()) {
                LOG.fine(() -> "event " + reason + " on " + key + " not recorded: " + r.code() + " " + r.message());
            }
        });
    }

    /** Forgets the rate-limit memory of objects that are gone. */
    void forget(String kind, String namespace, String name) {
        String prefix = kind + "/" + namespace + "/" + name + "/";
        lastSent.keySet().removeIf(k -> k.startsWith(prefix));
    }

    @Override
    public void close() {
        executor.shutdown();
    }
}
