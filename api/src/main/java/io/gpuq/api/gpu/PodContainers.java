package io.gpuq.api.gpu;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.gpuq.api.Names;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reduces a fabric8 Pod to the parser's plain input, so both entry points share one implementation. */
final class PodContainers {

    private static final String RESTART_ALWAYS = "Always";

    private PodContainers() {
    }

    static Map<String, String> annotations(Pod pod) {
        if (pod == null || pod.getMetadata() == null || pod.getMetadata().getAnnotations() == null) {
            return Map.of();
        }
        return pod.getMetadata().getAnnotations();
    }

    static List<ContainerGpuResources> regular(Pod pod) {
        PodSpec spec = pod == null ? null : pod.getSpec();
        return spec == null ? List.of() : convert(spec.getContainers(), false);
    }

    static List<ContainerGpuResources> init(Pod pod) {
        PodSpec spec = pod == null ? null : pod.getSpec();
        return spec == null ? List.of() : convert(spec.getInitContainers(), true);
    }

    private static List<ContainerGpuResources> convert(List<Container> containers, boolean init) {
        if (containers == null) {
            return List.of();
        }
        List<ContainerGpuResources> out = new ArrayList<>(containers.size());
        for (Container c : containers) {
            ResourceRequirements resources = c.getResources();
            Map<String, String> limits = gpuOnly(resources == null ? null : resources.getLimits());
            Map<String, String> requests = gpuOnly(resources == null ? null : resources.getRequests());
            boolean sidecar = init && RESTART_ALWAYS.equals(c.getRestartPolicy());
            out.add(new ContainerGpuResources(c.getName(), limits, requests, sidecar));
        }
        return out;
    }

    /** Only the GPU entry is read, so only it is converted; Quantity prints back the text it was given. */
    private static Map<String, String> gpuOnly(Map<String, Quantity> resources) {
        if (resources == null) {
            return Map.of();
        }
        Quantity gpu = resources.get(Names.GPU_RESOURCE);
        return gpu == null ? Map.of() : Map.of(Names.GPU_RESOURCE, gpu.toString());
    }
}
