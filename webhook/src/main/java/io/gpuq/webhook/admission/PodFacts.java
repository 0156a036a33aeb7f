package io.gpuq.webhook.admission;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpuq.api.Names;
import io.gpuq.api.gpu.ContainerGpuResources;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Read-only facts of a pod, taken straight from its JSON. Labels and annotations are read as text so
 * that an unquoted YAML value ({@code enabled: true}) is seen as the string the API server would store.
 */
final class PodFacts {

    /** The annotation the kubelet puts on mirror pods of static pods, which nothing may change. */
    static final String MIRROR_ANNOTATION = "kubernetes.io/config.mirror";

    private static final String RESTART_ALWAYS = "Always";

    private final JsonNode pod;
    private final Map<String, String> labels;
    private final Map<String, String> annotations;
    /** Read by several rules per review; the admitted pod does not change, so it is found once. */
    private List<JsonNode> containers;

    PodFacts(JsonNode pod) {
        this.pod = pod;
        JsonNode metadata = JsonReads.at(pod, "metadata");
        this.labels = new ScalarMembers(JsonReads.at(metadata, "labels"));
        this.annotations = new ScalarMembers(JsonReads.at(metadata, "annotations"));
    }

    JsonNode json() {
        return pod;
    }

    Map<String, String> labels() {
        return labels;
    }

    Map<String, String> annotations() {
        return annotations;
    }

    String label(String key) {
        return labels.get(key);
    }

    String annotation(String key) {
        return annotations.get(key);
    }

    boolean isMirror() {
        return annotations.containsKey(MIRROR_ANNOTATION);
    }

    String schedulerName() {
        return JsonReads.textAt(pod, "spec", "schedulerName");
    }

    String priorityClassName() {
        return JsonReads.textAt(pod, "spec", "priorityClassName");
    }

    JsonNode spec() {
        return JsonReads.at(pod, "spec");
    }

    /** Regular containers, in order, skipping entries that are not objects. */
    List<JsonNode> containers() {
        if (containers == null) {
            containers = objects(JsonReads.at(pod, "spec", "containers"));
        }
        return containers;
    }

    List<JsonNode> initContainers() {
        return objects(JsonReads.at(pod, "spec", "initContainers"));
    }

    List<JsonNode> ephemeralContainers() {
        return objects(JsonReads.at(pod, "spec", "ephemeralContainers"));
    }

    /** Every container of the pod, of all three kinds. */
    List<JsonNode> allContainers() {
        List<JsonNode> all = new ArrayList<>(containers());
        all.addAll(initContainers());
        all.addAll(ephemeralContainers());
        return all;
    }

    List<ContainerGpuResources> gpuContainers() {
        return gpuResources(containers(), false);
    }

    List<ContainerGpuResources> gpuInitContainers() {
        return gpuResources(initContainers(), true);
    }

    /** The controlling owner reference, else the first one, else a missing node. */
    JsonNode owner() {
        List<JsonNode> owners = objects(JsonReads.at(pod, "metadata", "ownerReferences"));
        for (JsonNode owner : owners) {
            if (owner.path("controller").asBoolean(false)) {
                return owner;
            }
        }
        return owners.isEmpty() ? JsonReads.at(null) : owners.get(0);
    }

    static String containerName(JsonNode container) {
        String name = JsonReads.textAt(container, "name");
        // The parser needs a name to attach a fraction to; an unnamed container (which the API server
        // would reject anyway) must not turn into a crash.
        return name == null ? "" : name;
    }

    static List<JsonNode> objects(JsonNode array) {
        if (array == null || !array.isArray() || array.isEmpty()) {
            return List.of();
        }
        List<JsonNode> out = new ArrayList<>(array.size());
        for (JsonNode element : array) {
            if (element.isObject()) {
                out.add(element);
            }
        }
        return out;
    }

    private static List<ContainerGpuResources> gpuResources(List<JsonNode> containers, boolean init) {
        List<ContainerGpuResources> out = new ArrayList<>(containers.size());
        for (JsonNode c : containers) {
            boolean sidecar = init && RESTART_ALWAYS.equals(JsonReads.textAt(c, "restartPolicy"));
            out.add(new ContainerGpuResources(containerName(c), gpuOnly(JsonReads.at(c, "resources", "limits")),
                    gpuOnly(JsonReads.at(c, "resources", "requests")), sidecar));
        }
        return out;
    }

    /** Only the GPU entry matters to the parser; a non-scalar value is passed as JSON so it is rejected. */
    private static Map<String, String> gpuOnly(JsonNode resources) {
        JsonNode gpu = resources.isObject() ? resources.get(Names.GPU_RESOURCE) : null;
        if (gpu == null || gpu.isNull()) {
            return Map.of();
        }
        return Map.of(Names.GPU_RESOURCE, gpu.isValueNode() ? gpu.asText() : gpu.toString());
    }
}
