package io.gpuq.webhook.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gpuq.api.Annotations;
import io.gpuq.api.Names;
import io.gpuq.api.gpu.GpuRequest;

import java.util.List;

/**
 * Step 3, annotations: the seed form {@code nvidia.com/gpu: "0.5"} becomes {@code gpu-fraction} (the
 * device plugin only understands whole GPUs), and every fractional pod gets the normalised
 * {@code runai/gpu-fraction}.
 */
final class FractionMutation implements PodMutation {

    @Override
    public void apply(PodContext context, PodDraft pod, List<String> warnings) {
        GpuRequest request = context.request();
        if (request == null || request.kind() != GpuRequest.Kind.FRACTION) {
            return;
        }
        if (request.seedForm()) {
            rewriteSeedForm(context, pod, request);
        }
        pod.putIfAbsent(request.fraction(), Annotations.NORMALISED_GPU_FRACTION, "metadata", "annotations");
    }

    private static void rewriteSeedForm(PodContext context, PodDraft pod, GpuRequest request) {
        ObjectNode container = seedContainer(pod, request.containerName());
        if (container == null) {
            return;
        }
        removeGpu(pod, container, "limits");
        removeGpu(pod, container, "requests");
        pod.putIfAbsent(request.fraction(), Annotations.GPU_FRACTION, "metadata", "annotations");
        // Without the seed's container in limits, the parser would give the fraction to the first
        // container; naming the container keeps the request what the user wrote.
        List<JsonNode> containers = context.pod().containers();
        boolean first = !containers.isEmpty() && request.containerName().equals(PodFacts.containerName(containers.get(0)));
        if (!first) {
            pod.putIfAbsent(request.containerName(), Annotations.GPU_FRACTION_CONTAINER_NAME, "metadata", "annotations");
        }
    }

    /** The writable container of that name that asks for GPUs, or null. */
    private static ObjectNode seedContainer(PodDraft pod, String name) {
        JsonNode containers = JsonReads.at(pod.root(), "spec", "containers");
        for (int i = 0; i < containers.size(); i++) {
            JsonNode c = containers.get(i);
            if (c.isObject() && name.equals(PodFacts.containerName(c))
                    && (hasGpu(c, "limits") || hasGpu(c, "requests"))) {
                return pod.objectAt(pod.existingArray(pod.existingObject(pod.root(), "spec"), "containers"), i);
            }
        }
        return null;
    }

    private static boolean hasGpu(JsonNode container, String section) {
        return JsonReads.at(container, "resources", section).has(Names.GPU_RESOURCE);
    }

    private static void removeGpu(PodDraft pod, ObjectNode container, String section) {
        if (!hasGpu(container, section)) {
            return;
        }
        ObjectNode values = pod.existingObject(pod.existingObject(container, "resources"), section);
        if (values != null) {
            values.remove(Names.GPU_RESOURCE);
        }
    }
}
