package io.gpuq.webhook.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Finds the pods a workload manifest would create: a Pod itself, or every pod template
 * ({@code metadata} + {@code spec} with containers) nested in a Job, PyTorchJob, LeaderWorkerSet,
 * Volcano Job, RayJob, JobSet or Deployment, including manifests embedded as text (Argo's
 * {@code resource.manifest}), whose {@code {{…}}} parameters are substituted first as Argo would.
 */
final class PodTemplates {

    /** One pod to admit, with the workload object it came from. */
    record Template(String path, JsonNode workload, ObjectNode pod) {
    }

    private static final Pattern ARGO_PARAMETER = Pattern.compile("\\{\\{[^}]*}}");

    private PodTemplates() {
    }

    static List<Template> in(JsonNode document) {
        List<Template> out = new ArrayList<>();
        if ("Pod".equals(document.path("kind").asText())) {
            out.add(new Template("", document, (ObjectNode) document.deepCopy()));
            return out;
        }
        collect(document, document, "", out);
        return out;
    }

    private static void collect(JsonNode workload, JsonNode node, String path, List<Template> out) {
        if (node.isObject()) {
            if (node != workload && node.path("spec").path("containers").isArray()) {
                out.add(new Template(path, workload, pod(node)));
                return;
            }
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                collect(workload, e.getValue(), path + "/" + e.getKey(), out);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collect(workload, node.get(i), path + "/" + i, out);
            }
        } else if (node.isTextual() && node.asText().contains("apiVersion:") && node.asText().contains("kind:")) {
            for (JsonNode embedded : embedded(node.asText())) {
                for (Template t : in(embedded)) {
                    out.add(new Template(path + t.path(), embedded, t.pod()));
                }
            }
        }
    }

    private static List<JsonNode> embedded(String text) {
        try {
            return FixtureDocuments.documents(ARGO_PARAMETER.matcher(text).replaceAll("argo-parameter"), false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode pod(JsonNode template) {
        ObjectNode pod = Reviews.JSON.createObjectNode();
        pod.put("apiVersion", "v1");
        pod.put("kind", "Pod");
        JsonNode metadata = template.path("metadata");
        pod.set("metadata", metadata.isObject() ? metadata.deepCopy() : Reviews.JSON.createObjectNode());
        pod.set("spec", template.get("spec").deepCopy());
        return pod;
    }
}
