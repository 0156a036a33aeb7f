package io.gpuq.embedded;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.gpuq.api.Annotations;
import io.gpuq.api.Labels;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Plays the kubelets (and the NVIDIA device plugin) of an embedded cluster: a pod bound to a node is
 * started (phase Running, Ready), a pod with {@link #RUN_SECONDS} completes after that long
 * (divided by the time speed-up), and a reservation pod gets the UUID of the device it holds in
 * {@link Annotations#RESERVED_GPU_UUID}, as {@code gpuq reserve} writes it on a real node.
 */
public final class KubeletStandIn implements AutoCloseable {
    /** Pod annotation: scenario seconds the pod runs before it succeeds; absent = until deleted. */
    public static final String RUN_SECONDS = "demo.gpuq.io/run-seconds";

    private static final Logger LOG = Logger.getLogger(KubeletStandIn.class.getName());

    private final KubernetesClient client;
    private final double speed;
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "kubelet-stand-in");
        t.setDaemon(true);
        return t;
    });
    private final Set<String> started = ConcurrentHashMap.newKeySet();
    private SharedIndexInformer<Pod> informer;

    /**
     * @param speed scenario seconds per wall second (1 = real time)
     */
    public KubeletStandIn(KubernetesClient client, double speed) {
        if (!(speed > 0)) {
            throw new IllegalArgumentException("speed must be > 0, was " + speed);
        }
        this.client = client;
        this.speed = speed;
    }

    public synchronized KubeletStandIn start() {
        informer = client.pods().inAnyNamespace().inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                worker.execute(() -> observe(pod));
            }

            @Override
            public void onUpdate(Pod oldPod, Pod pod) {
                worker.execute(() -> observe(pod));
            }

            @Override
            public void onDelete(Pod pod, boolean unknownFinalState) {
                started.remove(key(pod));
            }
        }, 30_000L);
        return this;
    }

    private void observe(Pod pod) {
        String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
        if (node == null || node.isEmpty() || pod.getMetadata().getDeletionTimestamp() != null) {
            return;
        }
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        if (isReservation(pod) && annotation(pod, Annotations.RESERVED_GPU_UUID) == null) {
            String device = pod.getMetadata().getLabels().getOrDefault(Labels.RESERVED_DEVICE, "0");
            retrying("record the device of reservation " + key(pod), () -> client.pods()
                    .inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                    .edit(p -> {
                        if (p.getMetadata().getAnnotations() == null) {
                            p.getMetadata().setAnnotations(new java.util.HashMap<>());
                        }
                        p.getMetadata().getAnnotations().put(Annotations.RESERVED_GPU_UUID, deviceUuid(node, device));
                        return p;
                    }));
        }
        if (phase != null && !"Pending".equals(phase)) {
            return;
        }
        if (!started.add(key(pod))) {
            return;
        }
        retrying("start pod " + key(pod) + " on " + node, () -> setPhase(pod, "Running"));
        String run = annotation(pod, RUN_SECONDS);
        if (run != null) {
            try {
                double seconds = Double.parseDouble(run);
                long delayMs = Math.max(0, Math.round(seconds * 1000 / speed));
                worker.schedule(() -> complete(pod), delayMs, TimeUnit.MILLISECONDS);
            } catch (NumberFormatException e) {
                LOG.warning(() -> "pod " + key(pod) + ": " + RUN_SECONDS + " is not a number (" + run
                        + "); it runs until deleted");
            }
        }
    }

    private void complete(Pod pod) {
        Pod current = client.pods().inNamespace(pod.getMetadata().getNamespace())
                .withName(pod.getMetadata().getName()).get();
        if (current == null || !pod.getMetadata().getUid().equals(current.getMetadata().getUid())
                || current.getMetadata().getDeletionTimestamp() != null) {
            return;
        }
        retrying("complete pod " + key(pod), () -> setPhase(current, "Succeeded"));
    }

    /** A merge patch of the status subresource, as a kubelet writes it. */
    private void setPhase(Pod pod, String phase) {
        String now = Instant.now().toString();
        List<PodCondition> conditions = new ArrayList<>();
        if (pod.getStatus() != null && pod.getStatus().getConditions() != null) {
            for (PodCondition c : pod.getStatus().getConditions()) {
                if (!"Ready".equals(c.getType()) && !"PodScheduled".equals(c.getType())) {
                    conditions.add(c);
                }
            }
        }
        conditions.add(condition("PodScheduled", "True", now));
        conditions.add(condition("Ready", "Running".equals(phase) ? "True" : "False", now));
        Map<String, Object> status = new java.util.LinkedHashMap<>();
        status.put("phase", phase);
        status.put("conditions", conditions);
        if ("Running".equals(phase)) {
            status.put("startTime", now);
        }
        String patch = io.fabric8.kubernetes.client.utils.Serialization.asJson(Map.of("status", status));
        client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                .subresource("status").patch(io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                        io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE), patch);
    }

    private static PodCondition condition(String type, String status, String now) {
        return new PodConditionBuilder().withType(type).withStatus(status).withLastTransitionTime(now).build();
    }

    private void retrying(String what, Runnable action) {
        for (int attempt = 1; ; attempt++) {
            try {
                action.run();
                return;
            } catch (RuntimeException e) {
                if (e instanceof KubernetesClientException k && k.getCode() == 404) {
                    return;
                }
                if (attempt >= 5) {
                    LOG.log(Level.WARNING, "kubelet stand-in: cannot " + what + " after " + attempt + " attempts", e);
                    return;
                }
                try {
                    Thread.sleep(50L * attempt);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** The UUID the stand-in's device plugin gives device {@code index} of {@code node}. */
    public static String deviceUuid(String node, String index) {
        return "GPU-" + node + "-" + index;
    }

    private static boolean isReservation(Pod pod) {
        Map<String, String> labels = pod.getMetadata().getLabels();
        return labels != null && "true".equals(labels.get(Labels.RESERVATION));
    }

    private static String annotation(Pod pod, String name) {
        Map<String, String> a = pod.getMetadata().getAnnotations();
        return a == null ? null : a.get(name);
    }

    private static String key(Pod pod) {
        return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
    }

    @Override
    public synchronized void close() {
        if (informer != null) {
            informer.close();
            informer = null;
        }
        worker.shutdownNow();
    }
}
