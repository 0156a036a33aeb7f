package io.gpuq.cli.demo;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.gpuq.api.Annotations;
import io.gpuq.api.Labels;
import io.gpuq.api.Names;
import io.gpuq.api.WorkloadType;
import io.gpuq.embedded.KubeletStandIn;
import io.gpuq.scheduler.engine.model.GpuDemand;
import io.gpuq.scheduler.sim.scenario.WorkloadSpec;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The pods a scenario workload is made of, written as a user (or a training operator) writes them,
 * before admission: the seed's fraction form {@code nvidia.com/gpu: "0.5"} that the webhook rewrites,
 * {@code gpu-memory}, the gang annotations, {@code runai/workload-type}, the pool a workload asks for,
 * and how long the kubelet stand-in runs it.
 */
final class WorkloadPods {
    /** Pod label: the scenario workload a pod belongs to. */
    static final String WORKLOAD_LABEL = "demo.gpuq.io/workload";
    static final String IMAGE = "registry.k8s.io/pause:3.10";

    private WorkloadPods() {
    }

    static Pod pod(WorkloadSpec w, int index) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(WORKLOAD_LABEL, w.name());
        labels.put(Labels.WORKLOAD_TYPE, w.type().label());
        labels.put(ScenarioObjects.MANAGED_BY, ScenarioObjects.MANAGER);
        if (w.nodePool() != null) {
            labels.put(Labels.NODE_POOL, w.nodePool());
        }
        if (w.preemptible() != WorkloadType.isPreemptible(w.priority())) {
            labels.put(Labels.PREEMPTIBLE, Boolean.toString(w.preemptible()));
        }
        Map<String, String> annotations = new LinkedHashMap<>();
        if (w.pods() > 1 || w.minMember() < w.pods()) {
            annotations.put(Annotations.POD_GROUP_NAME, w.name());
            annotations.put(Annotations.POD_GROUP_MIN_MEMBER, Integer.toString(w.minMember()));
        }
        if (w.durationSeconds() != null) {
            annotations.put(KubeletStandIn.RUN_SECONDS, Long.toString(w.durationSeconds()));
        }
        Map<String, Quantity> limits = new LinkedHashMap<>();
        GpuDemand gpu = w.gpu();
        switch (gpu.kind()) {
            case WHOLE -> limits.put(Names.GPU_RESOURCE, new Quantity(Integer.toString(gpu.wholeGpus())));
            case FRACTION -> limits.put(Names.GPU_RESOURCE, new Quantity(fraction(gpu.milliPerDevice())));
            case MEMORY -> annotations.put(Annotations.GPU_MEMORY, Long.toString(gpu.memoryMiBPerDevice()));
            default -> {
            }
        }
        Map<String, Quantity> requests = new LinkedHashMap<>();
        if (w.cpuMillis() > 0) {
            requests.put("cpu", new Quantity(w.cpuMillis() + "m"));
        }
        if (w.memoryMiB() > 0) {
            requests.put("memory", new Quantity(w.memoryMiB() + "Mi"));
        }
        PodBuilder b = new PodBuilder()
                .withNewMetadata().withName(w.podName(index)).withNamespace(w.project())
                .withLabels(labels).withAnnotations(annotations).endMetadata()
                .withNewSpec()
                .addNewContainer().withName("main").withImage(IMAGE)
                .withNewResources().withLimits(limits).withRequests(requests).endResources()
                .endContainer()
                .withRestartPolicy("Never")
                .endSpec();
        priorityClass(w).ifPresent(c -> b.editSpec().withPriorityClassName(c).endSpec());
        if (w.node() != null) {
            b.editSpec().addToNodeSelector("kubernetes.io/hostname", w.node()).endSpec();
        }
        return b.build();
    }

    /**
     * A priority that differs from its type's is asked for by naming the class that has it; the webhook
     * chooses the class from {@code runai/workload-type} otherwise. Empty when no gpuq class has that
     * value, which {@link #unsupportedPriority} reports.
     */
    static Optional<String> priorityClass(WorkloadSpec w) {
        if (w.priority() == w.type().priority()) {
            return Optional.empty();
        }
        for (WorkloadType t : WorkloadType.values()) {
            if (t.priority() == w.priority()) {
                return Optional.of(t.priorityClassName());
            }
        }
        return Optional.empty();
    }

    /** Why the demo runs a workload at its type's priority instead of the scenario's, or empty. */
    static Optional<String> unsupportedPriority(WorkloadSpec w) {
        if (w.priority() == w.type().priority() || priorityClass(w).isPresent()) {
            return Optional.empty();
        }
        return Optional.of("workload " + w.name() + " asks for priority " + w.priority()
                + ", which no gpuq PriorityClass has; in a cluster pods get their priority from their class, so it runs as "
                + w.type().label() + " (" + w.type().priority() + ")");
    }

    /** GPUs one pod of the workload asks for, as the tables count them (a memory request as its share of a device). */
    static double gpusPerPod(WorkloadSpec w, long deviceMemoryMiB) {
        GpuDemand gpu = w.gpu();
        return switch (gpu.kind()) {
            case WHOLE -> gpu.wholeGpus();
            case FRACTION, MEMORY -> gpu.totalMilliOn(deviceMemoryMiB) / (double) GpuDemand.MILLI;
            default -> 0;
        };
    }

    private static String fraction(int milli) {
        return BigDecimal.valueOf(milli, 3).stripTrailingZeros().toPlainString();
    }
}
