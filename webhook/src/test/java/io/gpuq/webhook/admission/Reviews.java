package io.gpuq.webhook.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.gpuq.webhook.WebhookSettings;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/** Builds AdmissionReviews around objects and reads the answers back, as the API server would. */
final class Reviews {

    static final ObjectMapper JSON = new ObjectMapper();
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final String USER = "alice";
    private static final KubernetesSerialization KUBERNETES = new KubernetesSerialization();

    private Reviews() {
    }

    static ObjectNode json(String text) {
        try {
            return (ObjectNode) JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectNode yaml(String text) {
        try {
            return (ObjectNode) YAML.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectNode create(JsonNode object, String namespace) {
        return review("CREATE", object, null, namespace, USER, "Pod", "", "pods");
    }

    static ObjectNode update(JsonNode object, JsonNode oldObject, String namespace, String user) {
        return review("UPDATE", object, oldObject, namespace, user, "Pod", "", "pods");
    }

    static ObjectNode review(String operation, JsonNode object, JsonNode oldObject, String namespace, String user,
                             String kind, String group, String resource) {
        ObjectNode review = JSON.createObjectNode();
        review.put("apiVersion", "admission.k8s.io/v1");
        review.put("kind", "AdmissionReview");
        review.set("request", request(operation, object, oldObject, namespace, user, kind, group, resource));
        return review;
    }

    static ObjectNode request(String operation, JsonNode object, JsonNode oldObject, String namespace, String user,
                              String kind, String group, String resource) {
        ObjectNode request = JSON.createObjectNode();
        request.put("uid", UUID.randomUUID().toString());
        ObjectNode kindNode = request.putObject("kind");
        kindNode.put("group", group);
        kindNode.put("version", "v1");
        kindNode.put("kind", kind);
        ObjectNode resourceNode = request.putObject("resource");
        resourceNode.put("group", group);
        resourceNode.put("version", "v1");
        resourceNode.put("resource", resource);
        if (namespace != null) {
            request.put("namespace", namespace);
        }
        request.put("operation", operation);
        request.putObject("userInfo").put("username", user);
        request.set("object", object);
        if (oldObject != null) {
            request.set("oldObject", oldObject);
        }
        return request;
    }

    /** Wraps a bare AdmissionRequest (the kubewarden convention) into a v1 review. */
    static ObjectNode wrapRequest(JsonNode request) {
        ObjectNode review = JSON.createObjectNode();
        review.put("apiVersion", "admission.k8s.io/v1");
        review.put("kind", "AdmissionReview");
        review.set("request", request);
        return review;
    }

    static AdmissionService service(InMemoryClusterView view) {
        return service(view, WebhookSettings::defaults);
    }

    static AdmissionService service(InMemoryClusterView view, Supplier<WebhookSettings> settings) {
        return new AdmissionService(view, settings);
    }

    static JsonNode response(AdmissionOutcome outcome) {
        return outcome.responseReview().get("response");
    }

    /** The decoded patch of a response; an empty array when it carries none. */
    static ArrayNode patch(AdmissionOutcome outcome) {
        JsonNode response = response(outcome);
        if (!response.has("patch")) {
            return JSON.createArrayNode();
        }
        assertThat(response.path("patchType").asText()).isEqualTo("JSONPatch");
        try {
            return (ArrayNode) JSON.readTree(Base64.getDecoder().decode(response.get("patch").asText()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String message(AdmissionOutcome outcome) {
        return response(outcome).path("status").path("message").asText(null);
    }

    static List<String> warnings(AdmissionOutcome outcome) {
        JsonNode warnings = response(outcome).path("warnings");
        return warnings.isArray() ? JSON.convertValue(warnings, JSON.getTypeFactory()
                .constructCollectionType(List.class, String.class)) : List.of();
    }

    /** The pod as the API server stores it after the mutating webhook's patch. */
    static ObjectNode mutated(JsonNode pod, AdmissionOutcome outcome) {
        return (ObjectNode) JsonPatchApplier.apply(pod, patch(outcome));
    }

    /** Parses a pod with fabric8's model, the strictest reader at hand short of the API server. */
    static Pod asPod(JsonNode pod) {
        return KUBERNETES.unmarshal(pod.toString(), Pod.class);
    }
}
