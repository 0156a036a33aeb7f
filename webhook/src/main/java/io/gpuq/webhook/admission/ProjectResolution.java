package io.gpuq.webhook.admission;

import io.gpuq.api.Labels;
import io.gpuq.api.crd.Project;
import io.gpuq.webhook.ClusterView;
import io.gpuq.webhook.WebhookSettings;

import java.util.Map;
import java.util.Optional;

/**
 * DESIGN §3.3 step 2: the project a pod is charged to. The pod's {@code runai/queue} label wins, then
 * the namespace's, then the Project whose {@code spec.namespace} is the pod's namespace.
 *
 * @param project the project, or null when none could be found
 * @param problem why there is none, phrased for the user; null when found
 */
record ProjectResolution(Project project, String problem) {

    static ProjectResolution resolve(String namespace, Map<String, String> podLabels,
                                     Map<String, String> namespaceLabels, ClusterView view,
                                     WebhookSettings settings) {
        String podQueue = podLabels.get(Labels.QUEUE);
        if (JsonReads.hasText(podQueue)) {
            return byName(podQueue.strip(), "pod label", view, settings);
        }
        String namespaceQueue = namespaceLabels.get(Labels.QUEUE);
        if (JsonReads.hasText(namespaceQueue)) {
            return byName(namespaceQueue.strip(), "namespace " + Messages.quote(namespace) + " label", view, settings);
        }
        Optional<Project> own = view.projectForNamespace(namespace);
        return own.map(p -> new ProjectResolution(p, null)).orElseGet(() -> new ProjectResolution(null,
                "namespace " + Messages.quote(namespace) + " is routed to " + settings.schedulerName()
                        + " but no Project governs it: create a Project in namespace "
                        + Messages.quote(settings.systemNamespace()) + " named " + Messages.quote(namespace)
                        + " (or with spec.namespace: " + namespace + "), or label the namespace or the pod with "
                        + Labels.QUEUE + ": <project>"));
    }

    boolean found() {
        return project != null;
    }

    String projectName() {
        return project == null || project.getMetadata() == null ? null : project.getMetadata().getName();
    }

    private static ProjectResolution byName(String name, String where, ClusterView view, WebhookSettings settings) {
        return view.project(name).map(p -> new ProjectResolution(p, null)).orElseGet(() -> new ProjectResolution(null,
                where + " " + Labels.QUEUE + " " + Messages.quote(name) + " names no Project in namespace "
                        + Messages.quote(settings.systemNamespace()) + ": create Project " + Messages.quote(name)
                        + " there, or set " + Labels.QUEUE + " to an existing project"));
    }
}
