package io.gpuq.scheduler.cluster;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.gpuq.api.Annotations;
import io.gpuq.api.Labels;
import io.gpuq.api.WorkloadType;
import io.gpuq.api.gpu.GpuRequest;
import io.gpuq.api.gpu.GpuRequestException;
import io.gpuq.api.gpu.GpuRequestParser;
import io.gpuq.scheduler.engine.model.GpuDemand;
import io.gpuq.scheduler.engine.model.NodeSelectorTerm;
import io.gpuq.scheduler.engine.model.PodRequest;
import io.gpuq.scheduler.engine.model.Toleration;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** Reads {@link PodFacts} from a pod: project, gang, priority, GPU demand, resources, constraints. */
final class PodConverter {
    private static final String HOSTNAME = "kubernetes.io/hostname";

    private final Function<String, Optional<String>> projectOfNamespace;
    private final Function<String, Optional<Integer>> priorityClassValue;

    /**
     * @param projectOfNamespace the Project whose {@code spec.namespace} is a namespace
     * @param priorityClassValue the value of a PriorityClass by name
     */
    PodConverter(Function<String, Optional<String>> projectOfNamespace,
                 Function<String, Optional<Integer>> priorityClassValue) {
        this.projectOfNamespace = projectOfNamespace;
        this.priorityClassValue = priorityClassValue;
    }

    PodFacts convert(Pod pod) {
        var meta = pod.getMetadata();
        Map<String, String> labels = meta.getLabels() == null ? Map.of() : meta.getLabels();
        Map<String, String> annotations = meta.getAnnotations() == null ? Map.of() : meta.getAnnotations();
        String ns = meta.getNamespace();
        String key = ns + "/" + meta.getName();
        String project = labels.get(Labels.QUEUE);
        if (project == null || project.isBlank()) {
            project = projectOfNamespace.apply(ns).orElse(null);
        }
        String groupName = annotations.get(Annotations.POD_GROUP_NAME);
        String group = groupName == null || groupName.isBlank() ? key : ns + "/" + groupName;
        int minMember = parsePositive(annotations.get(Annotations.POD_GROUP_MIN_MEMBER), 1);

        Optional<WorkloadType> type = WorkloadType.fromLabel(labels.get(Labels.WORKLOAD_TYPE));
        int priority = priorityOf(pod, type);
        boolean preemptible = preemptibleOf(labels.get(Labels.PREEMPTIBLE), priority);
        String typeName = type.map(WorkloadType::label).orElse(classFor(pod));

        String invalid = null;
        PodRequest request = null;
        if (project == null) {
            invalid = "namespace " + ns + " belongs to no Project (label it " + Labels.QUEUE
                    + " or create a Project with spec.namespace: " + ns + ")";
        } else {
            try {
                request = request(key, pod, demandOf(GpuRequestParser.parse(pod)));
            } catch (GpuRequestException e) {
                invalid = e.getMessage();
            }
        }
        var spec = pod.getSpec();
        return new PodFacts(key, ns, meta.getName(), meta.getUid(), project, group, minMember, typeName, priority,
                preemptible, createdMillis(meta.getCreationTimestamp()), request,
                spec == null ? null : spec.getNodeName(), meta.getDeletionTimestamp() != null,
                annotations.get(Annotations.GPU_DEVICES), invalid);
    }

    private String classFor(Pod pod) {
        String cls = pod.getSpec() == null ? null : pod.getSpec().getPriorityClassName();
        return WorkloadType.fromLabel(cls).map(WorkloadType::label).orElse(WorkloadType.DEFAULT.label());
    }

    private int priorityOf(Pod pod, Optional<WorkloadType> type) {
        var spec = pod.getSpec();
        if (spec != null && spec.getPriority() != null) {
            return spec.getPriority();
        }
        if (spec != null && spec.getPriorityClassName() != null) {
            Optional<Integer> v = priorityClassValue.apply(spec.getPriorityClassName());
            if (v.isPresent()) {
                return v.get();
            }
            Optional<WorkloadType> byClass = WorkloadType.fromLabel(spec.getPriorityClassName());
            if (byClass.isPresent()) {
                return byClass.get().priority();
            }
        }
        return type.orElse(WorkloadType.DEFAULT).priority();
    }

    private static boolean preemptibleOf(String label, int priority) {
        if ("true".equals(label)) {
            return true;
        }
        if ("false".equals(label)) {
            return false;
        }
        return WorkloadType.isPreemptible(priority);
    }

    static GpuDemand demandOf(GpuRequest r) {
        return switch (r.kind()) {
            case NONE -> GpuDemand.none();
            case WHOLE -> GpuDemand.whole(r.wholeGpus());
            case FRACTION -> GpuDemand.fraction(r.fractionMilli(), r.numDevices());
            case MEMORY -> GpuDemand.memory(r.memoryMib(), r.numDevices());
        };
    }

    private static PodRequest request(String key, Pod pod, GpuDemand gpu) {
        var spec = pod.getSpec();
        long cpu = 0;
        long mem = 0;
        for (Container c : spec.getContainers() == null ? List.<Container>of() : spec.getContainers()) {
            Map<String, Quantity> req = requests(c);
            cpu += Quantities.cpuMillis(req);
            mem += Quantities.memoryMiB(req);
        }
        if (spec.getInitContainers() != null) {
            for (Container c : spec.getInitContainers()) {
                Map<String, Quantity> req = requests(c);
                cpu = Math.max(cpu, Quantities.cpuMillis(req));
                mem = Math.max(mem, Quantities.memoryMiB(req));
            }
        }
        if (spec.getOverhead() != null) {
            cpu += Quantities.cpuMillis(spec.getOverhead());
            mem += Quantities.memoryMiB(spec.getOverhead());
        }
        return new PodRequest(key, gpu, cpu, mem,
                spec.getNodeSelector() == null ? Map.of() : spec.getNodeSelector(),
                affinity(spec), tolerations(spec));
    }

    /** Requests, or the limits where a resource has no request (the API server defaults them so). */
    private static Map<String, Quantity> requests(Container c) {
        if (c.getResources() == null) {
            return Map.of();
        }
        Map<String, Quantity> out = new java.util.HashMap<>();
        if (c.getResources().getLimits() != null) {
            out.putAll(c.getResources().getLimits());
        }
        if (c.getResources().getRequests() != null) {
            out.putAll(c.getResources().getRequests());
        }
        return out;
    }

    private static List<NodeSelectorTerm> affinity(io.fabric8.kubernetes.api.model.PodSpec spec) {
        var a = spec.getAffinity();
        if (a == null || a.getNodeAffinity() == null
                || a.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution() == null) {
            return List.of();
        }
        List<NodeSelectorTerm> terms = new ArrayList<>();
        for (var term : a.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution().getNodeSelectorTerms()) {
            List<io.gpuq.scheduler.engine.model.NodeSelectorRequirement> reqs = new ArrayList<>();
            if (term.getMatchExpressions() != null) {
                for (NodeSelectorRequirement r : term.getMatchExpressions()) {
                    reqs.add(new io.gpuq.scheduler.engine.model.NodeSelectorRequirement(r.getKey(), r.getOperator(),
                            r.getValues()));
                }
            }
            if (term.getMatchFields() != null) {
                for (NodeSelectorRequirement r : term.getMatchFields()) {
                    if ("metadata.name".equals(r.getKey())) {
                        reqs.add(new io.gpuq.scheduler.engine.model.NodeSelectorRequirement(HOSTNAME, r.getOperator(),
                                r.getValues()));
                    }
                }
            }
            terms.add(new NodeSelectorTerm(reqs));
        }
        return terms;
    }

    private static List<Toleration> tolerations(io.fabric8.kubernetes.api.model.PodSpec spec) {
        if (spec.getTolerations() == null) {
            return List.of();
        }
        List<Toleration> out = new ArrayList<>();
        for (var t : spec.getTolerations()) {
            out.add(new Toleration(t.getKey(), t.getOperator(), t.getValue(), t.getEffect()));
        }
        return out;
    }

    private static long createdMillis(String timestamp) {
        if (timestamp == null) {
            return 0;
        }
        try {
            return Instant.parse(timestamp).toEpochMilli();
        } catch (DateTimeParseException e) {
            return 0;
        }
    }

    private static int parsePositive(String v, int fallback) {
        if (v == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v.trim());
            return n > 0 ? n : fallback;
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
