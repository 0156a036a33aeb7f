package io.gpuq.api.gpu;

import java.util.Map;

/**
 * The part of one container the GPU parser looks at, detached from any model so that a webhook can
 * feed it straight from the raw AdmissionReview JSON.
 *
 * @param name     container name
 * @param limits   {@code resources.limits} as text (only {@code nvidia.com/gpu} is read); may be null
 * @param requests {@code resources.requests} as text; may be null
 * @param sidecar  for init containers only: {@code restartPolicy: Always}, i.e. it keeps running beside
 *                 the regular containers, so its GPUs add to theirs instead of being reused
 */
public record ContainerGpuResources(String name, Map<String, String> limits, Map<String, String> requests,
                                    boolean sidecar) {

    public ContainerGpuResources {
        limits = limits == null ? Map.of() : limits;
        requests = requests == null ? Map.of() : requests;
    }

    public ContainerGpuResources(String name, Map<String, String> limits, Map<String, String> requests) {
        this(name, limits, requests, false);
    }
}
