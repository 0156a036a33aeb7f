package io.gpuq.scheduler.reserve;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.gpuq.api.Annotations;

import java.time.Duration;
import java.util.Map;
import java.util.logging.Logger;

/**
 * What runs inside a reservation pod ({@code gpuq reserve}): the NVIDIA device plugin gave this
 * container one GPU and named it in {@code NVIDIA_VISIBLE_DEVICES}; the program records that UUID
 * in its own pod's {@code runai/reserved-gpu-uuid} annotation (the scheduler hands it to the
 * fraction pods on the device) and then holds the device until it is stopped.
 */
public final class ReservationProgram {
    private static final Logger LOG = Logger.getLogger(ReservationProgram.class.getName());

    private final KubernetesClient client;
    private final Map<String, String> env;

    public ReservationProgram(KubernetesClient client, Map<String, String> env) {
        this.client = client;
        this.env = env;
    }

    /** Reads the device and the pod's identity from the environment; a clear message when absent. */
    public String deviceUuid() {
        String visible = env.getOrDefault("NVIDIA_VISIBLE_DEVICES", "").trim();
        if (visible.isEmpty() || "void".equals(visible) || "none".equals(visible) || "all".equals(visible)) {
            throw new IllegalStateException("NVIDIA_VISIBLE_DEVICES is '" + visible + "': this container was not given "
                    + "exactly one GPU (a reservation pod must request nvidia.com/gpu: 1 from the NVIDIA device plugin)");
        }
        if (visible.contains(",")) {
            throw new IllegalStateException("NVIDIA_VISIBLE_DEVICES names several devices (" + visible
                    + "); a reservation holds exactly one");
        }
        return visible;
    }

    /** Records the device UUID on this pod, retrying API errors for up to {@code patience}. */
    public String record(Duration patience) throws InterruptedException {
        String uuid = deviceUuid();
        String name = require("POD_NAME");
        String namespace = require("POD_NAMESPACE");
        String patch = "{\"metadata\":{\"annotations\":{\"" + Annotations.RESERVED_GPU_UUID + "\":\"" + uuid + "\"}}}";
        long deadline = System.nanoTime() + patience.toNanos();
        long backoffMs = 200;
        while (true) {
            try {
                client.pods().inNamespace(namespace).withName(name)
                        .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
                LOG.info(() -> "reservation " + namespace + "/" + name + " holds GPU " + uuid);
                return uuid;
            } catch (KubernetesClientException e) {
                if (e.getCode() == 404 || e.getCode() == 403 || System.nanoTime() > deadline) {
                    throw new IllegalStateException("cannot record GPU " + uuid + " on pod " + namespace + "/" + name
                            + ": " + e.getMessage(), e);
                }
                long wait = backoffMs;
                LOG.warning(() -> "recording GPU " + uuid + " failed (" + e.getCode() + "); retrying in " + wait + " ms");
                Thread.sleep(wait);
                backoffMs = Math.min(backoffMs * 2, 5000);
            }
        }
    }

    private String require(String name) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            throw new IllegalStateException(name + " is not set: the reservation pod passes it from the downward API");
        }
        return v;
    }
}
