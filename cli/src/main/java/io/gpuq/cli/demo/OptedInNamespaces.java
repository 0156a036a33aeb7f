package io.gpuq.cli.demo;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.gpuq.api.Labels;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The webhook configurations' namespace selector ({@code runai-job: "true"}, and never the system
 * namespace), answered from an informer cache as the API server answers it, so that admission never
 * calls the API it is part of.
 */
final class OptedInNamespaces implements Predicate<String>, AutoCloseable {
    private final SharedIndexInformer<Namespace> informer;
    private final String systemNamespace;

    OptedInNamespaces(KubernetesClient client, String systemNamespace) {
        this.systemNamespace = systemNamespace;
        this.informer = client.namespaces().runnableInformer(0);
    }

    /** Starts the informer and waits until it has listed the namespaces once. */
    OptedInNamespaces start() throws Exception {
        informer.start().toCompletableFuture().get(30, TimeUnit.SECONDS);
        return this;
    }

    @Override
    public boolean test(String namespace) {
        if (namespace == null || namespace.equals(systemNamespace)) {
            return false;
        }
        Namespace ns = informer.getStore().getByKey(namespace);
        Map<String, String> labels = ns == null || ns.getMetadata() == null ? null : ns.getMetadata().getLabels();
        return labels != null && Labels.RUNAI_JOB_ENABLED.equals(labels.get(Labels.RUNAI_JOB));
    }

    @Override
    public void close() {
        informer.close();
    }
}
