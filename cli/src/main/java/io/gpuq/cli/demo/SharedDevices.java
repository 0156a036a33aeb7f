package io.gpuq.cli.demo;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.gpuq.api.Annotations;
import io.gpuq.api.Labels;
import io.gpuq.scheduler.sim.scenario.Scenario;
import io.gpuq.scheduler.sim.scenario.WorkloadSpec;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Where the pods of fractional workloads ended up, read back from the cluster: the node, the device
 * UUID the scheduler wrote in {@code runai/gpu-devices} (the UUID its reservation pod got), the
 * device index that reservation holds, and the fraction the webhook recorded.
 */
final class SharedDevices {

    record PodDevice(String pod, String node, String devices, String index, String fraction) {
        String where() {
            return node + " device " + (index != null ? index + " (" + devices + ")" : devices);
        }
    }

    record Workload(String name, String project, List<PodDevice> pods) {
        /** Every pod placed, all on the same node and devices. */
        boolean oneDevice() {
            return !pods.isEmpty() && pods.stream().allMatch(p -> p.node() != null && p.devices() != null)
                    && pods.stream().map(p -> p.node() + "/" + p.devices()).distinct().count() == 1;
        }
    }

    private SharedDevices() {
    }

    static List<Workload> read(KubernetesClient client, Scenario scenario, String reservationNamespace) {
        Map<String, String> indexByUuid = new HashMap<>();
        for (Pod r : client.pods().inNamespace(reservationNamespace).withLabel(Labels.RESERVATION, "true").list().getItems()) {
            String uuid = annotation(r, Annotations.RESERVED_GPU_UUID);
            String index = r.getMetadata().getLabels() == null ? null : r.getMetadata().getLabels().get(Labels.RESERVED_DEVICE);
            if (uuid != null && index != null) {
                indexByUuid.put(uuid, index);
            }
        }
        List<Workload> out = new ArrayList<>();
        for (WorkloadSpec w : scenario.workloads()) {
            if (!w.gpu().isShared()) {
                continue;
            }
            List<PodDevice> pods = new ArrayList<>();
            for (Pod p : client.pods().inNamespace(w.project()).withLabel(WorkloadPods.WORKLOAD_LABEL, w.name()).list()
                    .getItems()) {
                String devices = annotation(p, Annotations.GPU_DEVICES);
                pods.add(new PodDevice(p.getMetadata().getName(), p.getSpec() == null ? null : p.getSpec().getNodeName(),
                        devices, devices == null ? null : indexByUuid.get(devices),
                        annotation(p, Annotations.NORMALISED_GPU_FRACTION)));
            }
            pods.sort(Comparator.comparing(PodDevice::pod));
            out.add(new Workload(w.name(), w.project(), pods));
        }
        return out;
    }

    /** One line per workload, e.g. "chat-small: chat-small-0 and chat-small-1 share one device: …". */
    static String describe(Workload w) {
        if (w.pods().isEmpty()) {
            return w.name() + ": no pods";
        }
        if (w.oneDevice()) {
            PodDevice first = w.pods().get(0);
            String names = w.pods().stream().map(PodDevice::pod).collect(Collectors.joining(" and "));
            String fractions = w.pods().stream().map(p -> p.fraction() == null ? "?" : p.fraction())
                    .collect(Collectors.joining(" + "));
            return w.name() + ": " + names + (w.pods().size() > 1 ? " share one device: " : " on ") + first.where()
                    + ", fractions " + fractions;
        }
        return w.name() + ": " + w.pods().stream()
                .map(p -> p.pod() + (p.node() == null ? " not placed" : " on " + p.where()
                        + (p.fraction() == null ? "" : " (" + p.fraction() + ")")))
                .collect(Collectors.joining("; "));
    }

    private static String annotation(Pod p, String key) {
        Map<String, String> a = p.getMetadata().getAnnotations();
        return a == null ? null : a.get(key);
    }
}
