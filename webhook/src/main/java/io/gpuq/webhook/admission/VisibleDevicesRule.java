package io.gpuq.webhook.admission;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpuq.api.EnvVars;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A container that sets {@code NVIDIA_VISIBLE_DEVICES} itself (e.g. to "all") sees GPUs outside its
 * quota. Only the webhook's downward-API wiring is accepted. On UPDATE only ephemeral containers can
 * be added, so only new ones are checked; a pod admitted before this rule is not denied its updates.
 */
final class VisibleDevicesRule implements PodRule {

    @Override
    public void check(PodContext context, PodFacts old, Findings findings) {
        PodFacts pod = context.pod();
        if (old == null) {
            check("container", pod.containers(), Set.of(), findings);
            check("init container", pod.initContainers(), Set.of(), findings);
        }
        Set<String> existing = new HashSet<>();
        if (old != null) {
            old.ephemeralContainers().forEach(c -> existing.add(PodFacts.containerName(c)));
        }
        check("ephemeral container", pod.ephemeralContainers(), existing, findings);
    }

    private static void check(String what, List<JsonNode> containers, Set<String> skip, Findings findings) {
        for (JsonNode container : containers) {
            String name = PodFacts.containerName(container);
            if (skip.contains(name)) {
                continue;
            }
            for (JsonNode env : PodFacts.objects(container.get("env"))) {
                if (EnvVars.NVIDIA_VISIBLE_DEVICES.equals(JsonReads.textAt(env, "name"))
                        && !GpuEnv.isVisibleDevicesWiring(env)) {
                    findings.deny(what + " " + Messages.quote(name) + " sets " + EnvVars.NVIDIA_VISIBLE_DEVICES
                            + " itself, which would expose GPUs outside the pod's quota: remove it; request GPUs with "
                            + "nvidia.com/gpu, gpu-fraction or gpu-memory and gpuq sets it to the devices it assigns");
                }
            }
        }
    }
}
