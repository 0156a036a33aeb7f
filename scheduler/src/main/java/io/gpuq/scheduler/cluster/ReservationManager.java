package io.gpuq.scheduler.cluster;

import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.gpuq.api.Labels;
import io.gpuq.api.Names;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.logging.Logger;

/**
 * Keeps exactly one reservation pod per device that hosts fractions (DESIGN §4, RESERVATIONS.md):
 * it asks the device plugin for that device ({@code nvidia.com/gpu: 1}) so no whole-GPU pod can get
 * it, and {@code gpuq reserve} in it records the device UUID the fraction pods are given. Missing
 * reservations (also for fraction pods found without one) are created; a reservation whose device
 * has hosted no fraction for {@code grace} is deleted.
 */
final class ReservationManager {
    private static final Logger LOG = Logger.getLogger(ReservationManager.class.getName());

    private final KubeWriter writer;
    private final ExecutorService workers;
    private final String namespace;
    private final String image;
    private final String schedulerName;
    private final long graceMillis;
    private final Set<SnapshotView.DeviceRef> creating = ConcurrentHashMap.newKeySet();
    private final Set<String> deleting = ConcurrentHashMap.newKeySet();
    private final Map<SnapshotView.DeviceRef, Long> idleSince = new HashMap<>();

    ReservationManager(KubeWriter writer, ExecutorService workers, SchedulerSettings settings) {
        this.writer = writer;
        this.workers = workers;
        this.namespace = settings.reservationNamespace();
        this.image = settings.reservationImage();
        this.schedulerName = settings.schedulerName();
        this.graceMillis = settings.reservationGrace().toMillis();
    }

    /**
     * @param needed  devices that host fractions now (bound, assumed or just placed)
     * @param existing the reservation pods the informer shows
     */
    void reconcile(Set<SnapshotView.DeviceRef> needed, Map<SnapshotView.DeviceRef, SnapshotView.ReservationPod> existing,
                   long nowMillis) {
        for (SnapshotView.DeviceRef device : needed) {
            idleSince.remove(device);
            SnapshotView.ReservationPod pod = existing.get(device);
            if (pod == null && creating.add(device)) {
                workers.execute(() -> create(device));
            }
        }
        creating.removeIf(existing::containsKey);
        for (var e : existing.entrySet()) {
            SnapshotView.DeviceRef device = e.getKey();
            SnapshotView.ReservationPod pod = e.getValue();
            if (needed.contains(device) || pod.terminating()) {
                continue;
            }
            long since = idleSince.computeIfAbsent(device, d -> nowMillis);
            if (nowMillis - since >= graceMillis && deleting.add(pod.name())) {
                workers.execute(() -> delete(pod));
            }
        }
        idleSince.keySet().removeIf(d -> !existing.containsKey(d));
        deleting.removeIf(name -> existing.values().stream().noneMatch(p -> p.name().equals(name)));
    }

    private void create(SnapshotView.DeviceRef device) {
        Pod pod = podFor(device);
        ApiResult r = writer.create(pod);
        if (r.ok() || r.conflict()) {
            LOG.info(() -> "reservation " + namespace + "/" + pod.getMetadata().getName() + " holds device "
                    + device.index() + " of " + device.node() + " for fractions");
        } else {
            creating.remove(device);
            LOG.warning(() -> "cannot create the reservation for device " + device + " (" + r.code() + " "
                    + r.message() + "); retrying next cycle");
        }
    }

    private void delete(SnapshotView.ReservationPod pod) {
        ApiResult r = writer.delete(pod.namespace(), pod.name());
        if (r.ok() || r.notFound()) {
            LOG.info(() -> "reservation " + pod.namespace() + "/" + pod.name() + " released: device " + pod.device()
                    + " hosts no fractions any more");
        } else {
            deleting.remove(pod.name());
            LOG.warning(() -> "cannot delete reservation " + pod.name() + " (" + r.code() + " " + r.message()
                    + "); retrying next cycle");
        }
    }

    Pod podFor(SnapshotView.DeviceRef device) {
        return new PodBuilder()
                .withNewMetadata()
                .withName(nameFor(device))
                .withNamespace(namespace)
                .addToLabels(Labels.RESERVATION, "true")
                .addToLabels(Labels.RESERVED_DEVICE, Integer.toString(device.index()))
                .addToLabels("app.kubernetes.io/managed-by", "gpuq-scheduler")
                .endMetadata()
                .withNewSpec()
                .withNodeName(device.node())
                .withSchedulerName(schedulerName)
                .withServiceAccountName("gpuq-reservation")
                .withTerminationGracePeriodSeconds(5L)
                .addNewToleration().withOperator("Exists").endToleration()
                .addNewContainer()
                .withName("reserve")
                .withImage(image)
                .withArgs("reserve")
                .withEnv(new EnvVarBuilder().withName("POD_NAME").withNewValueFrom().withNewFieldRef()
                                .withFieldPath("metadata.name").endFieldRef().endValueFrom().build(),
                        new EnvVarBuilder().withName("POD_NAMESPACE").withNewValueFrom().withNewFieldRef()
                                .withFieldPath("metadata.namespace").endFieldRef().endValueFrom().build())
                .withNewResources()
                .addToLimits(Names.GPU_RESOURCE, new Quantity("1"))
                .addToRequests("cpu", new Quantity("10m"))
                .addToRequests("memory", new Quantity("96Mi"))
                .addToLimits("memory", new Quantity("160Mi"))
                .endResources()
                .withNewSecurityContext()
                .withAllowPrivilegeEscalation(false)
                .withReadOnlyRootFilesystem(true)
                .withRunAsNonRoot(true)
                .withNewCapabilities().addToDrop("ALL").endCapabilities()
                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                .endSecurityContext()
                .endContainer()
                .endSpec()
                .build();
    }

    /** {@code gpuq-reservation-<node>-<index>}, shortened with a hash when the node name is long. */
    static String nameFor(SnapshotView.DeviceRef device) {
        String base = "gpuq-reservation-" + device.node().toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9-]", "-")
                + "-" + device.index();
        if (base.length() <= 63) {
            return base;
        }
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(device.toString().getBytes(StandardCharsets.UTF_8));
            return "gpuq-reservation-" + HexFormat.of().formatHex(h, 0, 12) + "-" + device.index();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
