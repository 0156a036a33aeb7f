package io.gpuq.embedded;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.WebSocketListener;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.lang.reflect.Field;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The fabric8 CRUD store with the API server's clock made explicit. By default it stamps
 * {@code metadata.creationTimestamp} as the mock server does (wall time, whole seconds). With
 * {@link #useClock} it stamps new objects from that clock instead, to the millisecond and strictly
 * increasing, so that a cluster whose time runs faster than the wall clock (the demo) reports
 * creation times, and therefore wait times and ages, in its own time, and objects created one after
 * the other are ordered as they were created.
 * <p>
 * Two fixes to the mock server's watches, so that a watcher hanging up while events stream to it
 * stalls and fails nothing else: hang-ups are handled off the event loop
 * ({@link HangUpOffTheEventLoop}), and an event for a watcher that is hanging up (its sender already
 * stopped, not yet unregistered) is dropped for that watcher instead of failing the write that caused
 * it and every watcher after it.
 */
final class ClockedCrudStore extends KubernetesCrudDispatcher {
    private final ObjectMapper json = new ObjectMapper();
    /** The stamp of the create in progress on this thread, for its response body. */
    private final ThreadLocal<String> stamped = new ThreadLocal<>();
    private volatile InstantSource clock;
    private Instant last = Instant.EPOCH;
    /** Runs watch hang-ups; once shut down, the event loop runs them as the mock server would. */
    private final ThreadPoolExecutor hangUps = hangUpExecutor();

    ClockedCrudStore() {
        replaceWatcherSet();
    }

    void useClock(InstantSource clock) {
        this.clock = clock;
    }

    @Override
    public void processEvent(String path, AttributeSet pathAttributes, AttributeSet oldAttributes,
                             GenericKubernetesResource resource, String blob) {
        InstantSource c = clock;
        // A null oldAttributes is a create (POST, or a PUT of an object that did not exist).
        if (c != null && oldAttributes == null && resource != null && resource.getMetadata() != null && blob != null) {
            String timestamp = next(c).toString();
            resource.getMetadata().setCreationTimestamp(timestamp);
            blob = Serialization.asJson(resource);
            stamped.set(timestamp);
        }
        super.processEvent(path, pathAttributes, oldAttributes, resource, blob);
    }

    @Override
    public MockResponse handleWatch(String path) {
        MockResponse response = super.handleWatch(path);
        WebSocketListener listener = response.getWebSocketListener();
        if (listener != null) {
            response.withWebSocketUpgrade(new HangUpOffTheEventLoop(listener, hangUps));
        }
        return response;
    }

    /** Stops the hang-up threads once the server is gone. */
    void close() {
        hangUps.shutdown();
    }

    /**
     * The store keeps its watchers in a private set that it iterates for every change; swap in one
     * that delivers to each watcher on its own.
     */
    private void replaceWatcherSet() {
        try {
            Field field = KubernetesCrudDispatcher.class.getDeclaredField("watchEventListeners");
            field.setAccessible(true);
            field.set(this, new WatchersSkippingHangUps());
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("this fabric8 mock server keeps its watchers differently; "
                    + "the embedded API needs its watcher set (KubernetesCrudDispatcher.watchEventListeners)", e);
        }
    }

    /** Watchers of the store; one whose sender has stopped misses the event, the others still get it. */
    private static final class WatchersSkippingHangUps extends CopyOnWriteArraySet<Object> {
        private static final long serialVersionUID = 1L;

        @Override
        public void forEach(Consumer<? super Object> action) {
            super.forEach(watcher -> {
                try {
                    action.accept(watcher);
                } catch (RejectedExecutionException hangingUp) {
                    // Its web socket is closing; nothing will read this event.
                }
            });
        }
    }

    private static ThreadPoolExecutor hangUpExecutor() {
        AtomicInteger n = new AtomicInteger();
        return new ThreadPoolExecutor(0, Integer.MAX_VALUE, 10, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "embedded-api-watch-hang-up-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        }, (task, pool) -> task.run());
    }

    /** The create response is written before the object is stored; give it the stored stamp too. */
    @Override
    public MockResponse handleCreate(RecordedRequest request) {
        try {
            MockResponse response = super.handleCreate(request);
            String timestamp = stamped.get();
            if (timestamp == null || response.code() != 201 || response.getBody() == null) {
                return response;
            }
            try {
                ObjectNode body = (ObjectNode) json.readTree(new String(response.getBody().getBytes(), StandardCharsets.UTF_8));
                ((ObjectNode) body.path("metadata")).put("creationTimestamp", timestamp);
                return response.setBody(json.writeValueAsString(body));
            } catch (JsonProcessingException | ClassCastException e) {
                return response;
            }
        } finally {
            stamped.remove();
        }
    }

    private synchronized Instant next(InstantSource c) {
        Instant now = c.instant().truncatedTo(ChronoUnit.MILLIS);
        last = now.isAfter(last) ? now : last.plusMillis(1);
        return last;
    }
}
