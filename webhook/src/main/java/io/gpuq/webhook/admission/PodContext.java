package io.gpuq.webhook.admission;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpuq.api.Labels;
import io.gpuq.api.gpu.GpuRequest;
import io.gpuq.api.gpu.GpuRequestParser;
import io.gpuq.webhook.ClusterView;
import io.gpuq.webhook.WebhookSettings;

import java.util.Map;
import java.util.OptionalDouble;

/**
 * Everything the pod rules need to know about one pod, resolved once per review: whether its namespace
 * is opted in, whether it goes to the GPU scheduler, its project, node pools and GPU request. The
 * mutator and the validator both work from it, so they cannot disagree about a pod.
 */
final class PodContext {

    private final WebhookSettings settings;
    private final ClusterView view;
    private final PodFacts pod;
    private final String namespace;
    private final boolean optedIn;
    private final boolean routed;
    private final ProjectResolution project;
    private final PoolChoice pools;
    private final GpuRequest request;
    private final String requestError;

    private PodContext(WebhookSettings settings, ClusterView view, PodFacts pod, String namespace, boolean optedIn,
                       boolean routed, ProjectResolution project, PoolChoice pools, GpuRequest request,
                       String requestError) {
        this.settings = settings;
        this.view = view;
        this.pod = pod;
        this.namespace = namespace;
        this.optedIn = optedIn;
        this.routed = routed;
        this.project = project;
        this.pools = pools;
        this.request = request;
        this.requestError = requestError;
    }

    static PodContext of(JsonNode podJson, String namespace, ClusterView view, WebhookSettings settings) {
        PodFacts pod = new PodFacts(podJson);
        Map<String, String> namespaceLabels = namespace == null ? Map.of()
                : view.namespaceLabels(namespace).orElse(Map.of());
        boolean optedIn = settings.optInLabelValue().equals(namespaceLabels.get(settings.optInLabelKey()));
        if (!optedIn) {
            return new PodContext(settings, view, pod, namespace, false, false, null, null, null, null);
        }
        boolean routed = SchedulerRouting.routes(pod.schedulerName(), settings);
        ProjectResolution project = ProjectResolution.resolve(namespace, pod.labels(), namespaceLabels, view, settings);
        PoolChoice pools = project.found() ? PoolChoice.of(project.project(), pod.label(Labels.NODE_POOL)) : null;
        GpuRequest request = null;
        String requestError = null;
        try {
            request = GpuRequestParser.parse(pod.annotations(), pod.gpuContainers(), pod.gpuInitContainers());
        } catch (IllegalArgumentException e) {
            // GpuRequestException carries a message written for the user; any other argument error is
            // still the pod's fault, not ours, and is reported the same way.
            requestError = e.getMessage();
        }
        return new PodContext(settings, view, pod, namespace, true, routed, project, pools, request, requestError);
    }

    WebhookSettings settings() {
        return settings;
    }

    ClusterView view() {
        return view;
    }

    PodFacts pod() {
        return pod;
    }

    String namespace() {
        return namespace;
    }

    /** The namespace carries the opt-in label, so the webhooks act on the pod. */
    boolean optedIn() {
        return optedIn;
    }

    /** Opted in and bound for the GPU scheduler (now or once mutated). */
    boolean routed() {
        return optedIn && routed;
    }

    /** Null unless opted in. */
    ProjectResolution project() {
        return project;
    }

    boolean hasProject() {
        return project != null && project.found();
    }

    /** Null unless the project is known. */
    PoolChoice pools() {
        return pools;
    }

    /** The parsed GPU request, or null when it is invalid ({@link #requestError()}) or not opted in. */
    GpuRequest request() {
        return request;
    }

    String requestError() {
        return requestError;
    }

    /**
     * GPUs the pod takes from quota. A gpu-memory request is counted against the largest GPU it may
     * get, the smallest share it can amount to; empty when no such GPU is known.
     */
    OptionalDouble requestedGpus() {
        if (request == null) {
            return OptionalDouble.empty();
        }
        if (request.kind() != GpuRequest.Kind.MEMORY) {
            return OptionalDouble.of(request.gpus());
        }
        if (pools == null) {
            return OptionalDouble.empty();
        }
        return pools.largestGpus(view).map(g -> OptionalDouble.of(request.gpus(g.maxGpuMemoryMiB())))
                .orElse(OptionalDouble.empty());
    }
}
