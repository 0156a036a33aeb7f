package io.gpuq.embedded;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.dsl.HttpMethod;

import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The request router of the embedded API: fault injection first, then what the fabric8 CRUD store
 * does not do as a real API server would: pod admission on create, the {@code pods/binding}
 * subresource (and the legacy {@code bindings} collection) setting {@code spec.nodeName} and the
 * Binding's annotations (refused on a uid mismatch or a pod already bound), the
 * {@code pods/eviction} subresource deleting the pod unless a PodDisruptionBudget forbids it, and API
 * discovery for kubectl.
 * Everything else goes to the CRUD store unchanged.
 */
final class ApiServerDispatcher extends Dispatcher {
    private static final Pattern POD_SUBRESOURCE =
            Pattern.compile("^/api/v1/namespaces/([^/]+)/pods/([^/]+)/(binding|eviction)$");
    private static final Pattern LEGACY_BINDINGS = Pattern.compile("^/api/v1/namespaces/([^/]+)/bindings$");
    private static final Pattern POD_COLLECTION = Pattern.compile("^/api/v1/namespaces/([^/]+)/pods$");

    private final KubernetesCrudDispatcher store;
    private final FaultInjector faults;
    private final ObjectMapper json = new ObjectMapper();
    private final ApiDiscovery discovery;
    private volatile AdmissionHook admission;

    ApiServerDispatcher(KubernetesCrudDispatcher store, FaultInjector faults) {
        this.store = store;
        this.faults = faults;
        this.discovery = new ApiDiscovery(this::storedCrds);
    }

    void setAdmission(AdmissionHook admission) {
        this.admission = admission;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        String path = pathOf(request);
        Optional<FaultInjector.Fault> fault = faults.faultFor(new FaultInjector.Request(request.getMethod(), path));
        if (fault.isPresent() && fault.get().failsRequest()) {
            return delayed(status(fault.get().status(), "Injected", "injected fault for " + request.getMethod() + " " + path),
                    fault.get());
        }
        MockResponse response = route(request, path);
        return fault.map(f -> delayed(response, f)).orElse(response);
    }

    private MockResponse route(RecordedRequest request, String path) {
        try {
            if ("GET".equals(request.getMethod())) {
                Optional<MockResponse> answer = discovery.answer(path);
                if (answer.isPresent()) {
                    return answer.get();
                }
            }
            if ("POST".equals(request.getMethod())) {
                Matcher sub = POD_SUBRESOURCE.matcher(path);
                if (sub.matches()) {
                    return "binding".equals(sub.group(3))
                            ? bind(sub.group(1), sub.group(2), json.readTree(bodyOf(request)))
                            : evict(sub.group(1), sub.group(2));
                }
                Matcher legacy = LEGACY_BINDINGS.matcher(path);
                if (legacy.matches()) {
                    JsonNode body = json.readTree(bodyOf(request));
                    return bind(legacy.group(1), body.path("metadata").path("name").asText(), body);
                }
                Matcher pods = POD_COLLECTION.matcher(path);
                if (pods.matches() && admission != null) {
                    return admitAndCreate(pods.group(1), request);
                }
            }
        } catch (JsonProcessingException e) {
            return status(400, "BadRequest", "request body is not valid JSON: " + e.getOriginalMessage());
        }
        return store.dispatch(request);
    }

    private MockResponse bind(String namespace, String name, JsonNode binding) throws JsonProcessingException {
        String node = binding.path("target").path("name").asText("");
        if (node.isEmpty()) {
            return status(400, "BadRequest", "Binding.target.name is required");
        }
        String podPath = podPath(namespace, name);
        MockResponse current = store.handleGet(podPath);
        if (current.code() == 404) {
            return status(404, "NotFound", "pods \"" + name + "\" not found");
        }
        JsonNode pod = json.readTree(bodyOf(current));
        String assigned = pod.path("spec").path("nodeName").asText("");
        if (!assigned.isEmpty()) {
            return status(409, "Conflict", "Operation cannot be fulfilled on pods/binding \"" + name
                    + "\": pod " + name + " is already assigned to node \"" + assigned + "\"");
        }
        String uid = binding.path("metadata").path("uid").asText("");
        if (!uid.isEmpty() && !uid.equals(pod.path("metadata").path("uid").asText())) {
            return status(409, "Conflict", "Precondition failed: UID in precondition: " + uid + ", UID in object meta: "
                    + pod.path("metadata").path("uid").asText());
        }
        if (pod.path("metadata").hasNonNull("deletionTimestamp")) {
            return status(409, "Conflict", "pod " + name + " is being deleted, cannot be assigned to a host");
        }
        ObjectNode patch = json.createObjectNode();
        patch.putObject("spec").put("nodeName", node);
        JsonNode annotations = binding.path("metadata").path("annotations");
        if (annotations.isObject() && !annotations.isEmpty()) {
            // As the API server does: the Binding's annotations are set on the pod with the node.
            patch.putObject("metadata").set("annotations", annotations);
        }
        MockResponse patched = store.handlePatch(new RecordedRequest("HTTP/1.1", HttpMethod.PATCH, podPath,
                Headers.builder().add("Content-Type", "application/merge-patch+json").build(),
                new Buffer(json.writeValueAsBytes(patch))));
        if (patched.code() >= 300) {
            return patched;
        }
        return status(201, "Created", null);
    }

    private MockResponse evict(String namespace, String name) throws JsonProcessingException {
        String podPath = podPath(namespace, name);
        MockResponse current = store.handleGet(podPath);
        if (current.code() == 404) {
            return status(404, "NotFound", "pods \"" + name + "\" not found");
        }
        JsonNode pod = json.readTree(bodyOf(current));
        String blocking = blockingBudget(namespace, pod.path("metadata").path("labels"));
        if (blocking != null) {
            return status(429, "TooManyRequests", "Cannot evict pod as it would violate the pod's disruption budget ("
                    + blocking + ").");
        }
        MockResponse deleted = store.handleDelete(podPath);
        if (deleted.code() >= 300) {
            return deleted;
        }
        return status(201, "Created", null);
    }

    /** The name of a PodDisruptionBudget that selects these labels and allows no disruption, or null. */
    private String blockingBudget(String namespace, JsonNode podLabels) throws JsonProcessingException {
        MockResponse list = store.handleGet("/apis/policy/v1/namespaces/" + namespace + "/poddisruptionbudgets");
        if (list.code() != 200) {
            return null;
        }
        for (JsonNode pdb : json.readTree(bodyOf(list)).path("items")) {
            JsonNode matchLabels = pdb.path("spec").path("selector").path("matchLabels");
            if (!matchLabels.isObject() || matchLabels.isEmpty() || !selects(matchLabels, podLabels)) {
                continue;
            }
            if (pdb.path("status").path("disruptionsAllowed").asInt(0) <= 0) {
                return pdb.path("metadata").path("name").asText();
            }
        }
        return null;
    }

    private static boolean selects(JsonNode matchLabels, JsonNode podLabels) {
        Iterator<Map.Entry<String, JsonNode>> it = matchLabels.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().asText().equals(podLabels.path(e.getKey()).asText(null))) {
                return false;
            }
        }
        return true;
    }

    private MockResponse admitAndCreate(String namespace, RecordedRequest request) throws JsonProcessingException {
        JsonNode body = json.readTree(bodyOf(request));
        if (!(body instanceof ObjectNode pod)) {
            return status(400, "BadRequest", "a pod must be a JSON object");
        }
        AdmissionHook.Outcome outcome;
        try {
            outcome = admission.admitPodCreate(namespace, pod);
        } catch (RuntimeException e) {
            return status(500, "InternalError", "failed calling admission webhook: " + e.getMessage());
        }
        if (!outcome.allowed()) {
            return status(outcome.status() > 0 ? outcome.status() : 400, "Forbidden", outcome.denial());
        }
        return store.handleCreate(new RecordedRequest(request.getHttpVersion(), HttpMethod.POST, pathOf(request),
                request.getHeaders(), new Buffer(json.writeValueAsBytes(outcome.pod()))));
    }

    private JsonNode storedCrds() {
        MockResponse list = store.handleGet("/apis/apiextensions.k8s.io/v1/customresourcedefinitions");
        try {
            return list.code() == 200 ? json.readTree(bodyOf(list)) : json.createObjectNode();
        } catch (JsonProcessingException e) {
            return json.createObjectNode();
        }
    }

    private MockResponse status(int code, String reason, String message) {
        ObjectNode s = json.createObjectNode();
        s.put("apiVersion", "v1").put("kind", "Status");
        s.putObject("metadata");
        s.put("status", code < 300 ? "Success" : "Failure");
        if (message != null) {
            s.put("message", message);
        }
        if (code >= 300) {
            s.put("reason", reason);
        }
        s.put("code", code);
        try {
            return new MockResponse().setResponseCode(code)
                    .setHeader("Content-Type", "application/json")
                    .setBody(json.writeValueAsString(s));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a Status", e);
        }
    }

    private static MockResponse delayed(MockResponse response, FaultInjector.Fault fault) {
        return fault.delay().isZero() ? response : response.setBodyDelay(fault.delay());
    }

    private static String podPath(String namespace, String name) {
        return "/api/v1/namespaces/" + namespace + "/pods/" + name;
    }

    private static String pathOf(RecordedRequest request) {
        String path = request.getPath();
        int q = path.indexOf('?');
        return q < 0 ? path : path.substring(0, q);
    }

    private static String bodyOf(RecordedRequest request) {
        return request.getBody() == null ? "" : new String(request.getBody().getBytes(), StandardCharsets.UTF_8);
    }

    private static String bodyOf(MockResponse response) {
        return new String(response.getBody().getBytes(), StandardCharsets.UTF_8);
    }
}
