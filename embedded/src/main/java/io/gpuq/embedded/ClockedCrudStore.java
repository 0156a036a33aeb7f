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

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;

/**
 * The fabric8 CRUD store with the API server's clock made explicit. By default it stamps
 * {@code metadata.creationTimestamp} as the mock server does (wall time, whole seconds). With
 * {@link #useClock} it stamps new objects from that clock instead, to the millisecond and strictly
 * increasing, so that a cluster whose time runs faster than the wall clock (the demo) reports
 * creation times, and therefore wait times and ages, in its own time, and objects created one after
 * the other are ordered as they were created.
 */
final class ClockedCrudStore extends KubernetesCrudDispatcher {
    private final ObjectMapper json = new ObjectMapper();
    /** The stamp of the create in progress on this thread, for its response body. */
    private final ThreadLocal<String> stamped = new ThreadLocal<>();
    private volatile InstantSource clock;
    private Instant last = Instant.EPOCH;

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
