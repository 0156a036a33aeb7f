package io.gpuq.embedded;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.http.MockResponse;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * API discovery as kubectl reads it ({@code /version}, {@code /api}, {@code /api/v1}, {@code /apis},
 * {@code /apis/<group>/<version>}), which the CRUD store does not answer: the built-in resources a GPU
 * cluster's tools use, and the groups of the CustomResourceDefinitions stored so far. Legacy
 * (unaggregated) discovery, which clients fall back to when asked for the aggregated form.
 */
final class ApiDiscovery {
    private static final List<String> ALL_VERBS = List.of("create", "delete", "deletecollection", "get", "list",
            "patch", "update", "watch");

    private record Resource(String name, String kind, boolean namespaced, List<String> verbs, List<String> shortNames) {
        static Resource of(String name, String kind, boolean namespaced, String... shortNames) {
            return new Resource(name, kind, namespaced, ALL_VERBS, List.of(shortNames));
        }

        static Resource sub(String name, String kind, String... verbs) {
            return new Resource(name, kind, true, List.of(verbs), List.of());
        }
    }

    /** Built-in group versions: "v1" is the core group. */
    private static final Map<String, List<Resource>> BUILT_IN = builtIn();

    private final ObjectMapper json = new ObjectMapper();
    private final Supplier<JsonNode> crds;

    /** @param crds the stored CustomResourceDefinitions (a list object with {@code items}) */
    ApiDiscovery(Supplier<JsonNode> crds) {
        this.crds = crds;
    }

    /**
     * The discovery answer for {@code path} (404 for a group version nobody serves), or empty when it is
     * not a discovery path.
     */
    Optional<MockResponse> answer(String path) {
        if (path.equals("/version")) {
            ObjectNode v = json.createObjectNode();
            v.put("major", "1").put("minor", "32").put("gitVersion", "v1.32.0-gpuq-embedded")
                    .put("platform", "linux/amd64");
            return Optional.of(ok(v));
        }
        if (path.equals("/api")) {
            ObjectNode v = json.createObjectNode().put("kind", "APIVersions");
            v.putArray("versions").add("v1");
            v.putArray("serverAddressByClientCIDRs");
            return Optional.of(ok(v));
        }
        if (path.equals("/apis")) {
            return Optional.of(ok(groupList()));
        }
        if (path.startsWith("/openapi/")) {
            // kubectl then asks for --validate=false to apply manifests.
            return Optional.of(notFound("the embedded API serves no OpenAPI document"));
        }
        String groupVersion = path.equals("/api/v1") ? "v1"
                : path.startsWith("/apis/") && path.chars().filter(c -> c == '/').count() == 3 ? path.substring("/apis/".length())
                : null;
        if (groupVersion == null) {
            return Optional.empty();
        }
        List<Resource> resources = resourcesOf(groupVersion);
        return Optional.of(resources.isEmpty() ? notFound("the server could not find the requested resource")
                : ok(resourceList(groupVersion, resources)));
    }

    private ObjectNode groupList() {
        Map<String, List<String>> groups = new LinkedHashMap<>();
        BUILT_IN.keySet().stream().filter(gv -> gv.contains("/")).forEach(gv -> groups
                .computeIfAbsent(gv.substring(0, gv.indexOf('/')), g -> new java.util.ArrayList<>())
                .add(gv.substring(gv.indexOf('/') + 1)));
        for (JsonNode crd : crds.get().path("items")) {
            String group = crd.path("spec").path("group").asText();
            for (JsonNode v : crd.path("spec").path("versions")) {
                if (v.path("served").asBoolean(true)) {
                    List<String> versions = groups.computeIfAbsent(group, g -> new java.util.ArrayList<>());
                    if (!versions.contains(v.path("name").asText())) {
                        versions.add(v.path("name").asText());
                    }
                }
            }
        }
        ObjectNode list = json.createObjectNode().put("kind", "APIGroupList").put("apiVersion", "v1");
        ArrayNode items = list.putArray("groups");
        groups.forEach((group, versions) -> {
            ObjectNode g = items.addObject().put("name", group);
            ArrayNode vs = g.putArray("versions");
            versions.forEach(v -> vs.addObject().put("groupVersion", group + "/" + v).put("version", v));
            g.putObject("preferredVersion").put("groupVersion", group + "/" + versions.get(0)).put("version", versions.get(0));
        });
        return list;
    }

    private List<Resource> resourcesOf(String groupVersion) {
        List<Resource> builtIn = BUILT_IN.get(groupVersion);
        if (builtIn != null) {
            return builtIn;
        }
        List<Resource> out = new java.util.ArrayList<>();
        for (JsonNode crd : crds.get().path("items")) {
            JsonNode spec = crd.path("spec");
            boolean served = false;
            for (JsonNode v : spec.path("versions")) {
                served |= groupVersion.equals(spec.path("group").asText() + "/" + v.path("name").asText())
                        && v.path("served").asBoolean(true);
            }
            if (!served) {
                continue;
            }
            JsonNode names = spec.path("names");
            List<String> shortNames = new java.util.ArrayList<>();
            names.path("shortNames").forEach(s -> shortNames.add(s.asText()));
            out.add(new Resource(names.path("plural").asText(), names.path("kind").asText(),
                    !"Cluster".equals(spec.path("scope").asText()), ALL_VERBS, shortNames));
            out.add(Resource.sub(names.path("plural").asText() + "/status", names.path("kind").asText(), "get", "patch", "update"));
        }
        return out;
    }

    private ObjectNode resourceList(String groupVersion, List<Resource> resources) {
        ObjectNode list = json.createObjectNode().put("kind", "APIResourceList").put("apiVersion", "v1")
                .put("groupVersion", groupVersion);
        ArrayNode items = list.putArray("resources");
        for (Resource r : resources) {
            ObjectNode o = items.addObject().put("name", r.name()).put("singularName", "")
                    .put("namespaced", r.namespaced()).put("kind", r.kind());
            ArrayNode verbs = o.putArray("verbs");
            r.verbs().forEach(verbs::add);
            if (!r.shortNames().isEmpty()) {
                ArrayNode shorts = o.putArray("shortNames");
                r.shortNames().forEach(shorts::add);
            }
        }
        return list;
    }

    private MockResponse notFound(String message) {
        ObjectNode status = json.createObjectNode().put("kind", "Status").put("apiVersion", "v1")
                .put("status", "Failure").put("reason", "NotFound").put("message", message).put("code", 404);
        status.putObject("metadata");
        MockResponse r = ok(status);
        return r.setResponseCode(404);
    }

    private MockResponse ok(ObjectNode body) {
        try {
            return new MockResponse().setResponseCode(200).setHeader("Content-Type", "application/json")
                    .setBody(new String(json.writeValueAsBytes(body), StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a discovery document", e);
        }
    }

    private static Map<String, List<Resource>> builtIn() {
        Map<String, List<Resource>> m = new LinkedHashMap<>();
        m.put("v1", List.of(
                Resource.of("pods", "Pod", true, "po"),
                Resource.sub("pods/status", "Pod", "get", "patch", "update"),
                Resource.sub("pods/binding", "Binding", "create"),
                Resource.sub("pods/eviction", "Eviction", "create"),
                Resource.of("bindings", "Binding", true),
                Resource.of("namespaces", "Namespace", false, "ns"),
                Resource.of("nodes", "Node", false, "no"),
                Resource.of("configmaps", "ConfigMap", true, "cm"),
                Resource.of("secrets", "Secret", true),
                Resource.of("services", "Service", true, "svc"),
                Resource.of("endpoints", "Endpoints", true, "ep"),
                Resource.of("serviceaccounts", "ServiceAccount", true, "sa"),
                Resource.of("events", "Event", true, "ev")));
        m.put("apps/v1", List.of(Resource.of("deployments", "Deployment", true, "deploy"),
                Resource.of("statefulsets", "StatefulSet", true, "sts"), Resource.of("replicasets", "ReplicaSet", true, "rs"),
                Resource.of("daemonsets", "DaemonSet", true, "ds")));
        m.put("batch/v1", List.of(Resource.of("jobs", "Job", true), Resource.of("cronjobs", "CronJob", true, "cj")));
        m.put("coordination.k8s.io/v1", List.of(Resource.of("leases", "Lease", true)));
        m.put("events.k8s.io/v1", List.of(Resource.of("events", "Event", true, "ev")));
        m.put("policy/v1", List.of(Resource.of("poddisruptionbudgets", "PodDisruptionBudget", true, "pdb")));
        m.put("scheduling.k8s.io/v1", List.of(Resource.of("priorityclasses", "PriorityClass", false, "pc")));
        m.put("apiextensions.k8s.io/v1", List.of(
                Resource.of("customresourcedefinitions", "CustomResourceDefinition", false, "crd", "crds")));
        return m;
    }
}
