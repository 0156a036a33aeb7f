package io.gpuq.scheduler.cluster;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClass;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.gpuq.api.Labels;
import io.gpuq.api.crd.Department;
import io.gpuq.api.crd.Project;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The scheduler's view of the cluster: shared informers on Nodes, Pods, Namespaces, PriorityClasses
 * and the system namespace's Projects and Departments. Every cycle reads their caches; nothing lists
 * the API per cycle. {@code onWork} is called when something may be schedulable now (a new pod of
 * ours, a pod or node going away, a node or quota change).
 */
final class ClusterInformers implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ClusterInformers.class.getName());

    private final SharedIndexInformer<Node> nodes;
    private final SharedIndexInformer<Pod> pods;
    private final SharedIndexInformer<Namespace> namespaces;
    private final SharedIndexInformer<PriorityClass> priorityClasses;
    private final SharedIndexInformer<Project> projects;
    private final SharedIndexInformer<Department> departments;
    private final List<SharedIndexInformer<?>> all = new CopyOnWriteArrayList<>();
    private volatile boolean synced;

    ClusterInformers(KubernetesClient client, String systemNamespace, String schedulerName, Runnable onWork) {
        nodes = register(client.nodes().runnableInformer(0), onWork, false, schedulerName);
        pods = register(client.pods().inAnyNamespace().runnableInformer(0), onWork, true, schedulerName);
        namespaces = register(client.namespaces().runnableInformer(0), onWork, false, schedulerName);
        priorityClasses = register(client.scheduling().v1().priorityClasses().runnableInformer(0), onWork, false,
                schedulerName);
        projects = register(client.resources(Project.class).inNamespace(systemNamespace).runnableInformer(0), onWork,
                false, schedulerName);
        departments = register(client.resources(Department.class).inNamespace(systemNamespace).runnableInformer(0),
                onWork, false, schedulerName);
    }

    private <T extends io.fabric8.kubernetes.api.model.HasMetadata> SharedIndexInformer<T> register(
            SharedIndexInformer<T> informer, Runnable onWork, boolean podFilter, String schedulerName) {
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) {
                if (!podFilter || isOurPending((Pod) obj, schedulerName)) {
                    onWork.run();
                }
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                if (!podFilter) {
                    if (!java.util.Objects.equals(oldObj.getMetadata().getResourceVersion(),
                            newObj.getMetadata().getResourceVersion())) {
                        onWork.run();
                    }
                    return;
                }
                Pod p = (Pod) newObj;
                String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
                if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
                    onWork.run();
                }
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                onWork.run();
            }
        });
        informer.exceptionHandler((complete, t) -> {
            LOG.log(Level.WARNING, "watch of " + informer.getApiTypeClass().getSimpleName()
                    + " failed; retrying", t);
            return true;
        });
        all.add(informer);
        return informer;
    }

    private static boolean isOurPending(Pod p, String schedulerName) {
        return p.getSpec() != null && schedulerName.equals(p.getSpec().getSchedulerName())
                && (p.getSpec().getNodeName() == null || p.getSpec().getNodeName().isEmpty());
    }

    /** Starts every informer; the future completes when all have listed once. */
    CompletableFuture<Void> start() {
        CompletableFuture<?>[] syncs = all.stream().map(i -> i.start().toCompletableFuture()).toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(syncs).thenRun(() -> {
            synced = true;
            LOG.info("scheduler caches synced: " + nodes.getStore().list().size() + " nodes, "
                    + pods.getStore().list().size() + " pods, " + projects.getStore().list().size() + " projects");
        });
    }

    boolean synced() {
        return synced && all.stream().allMatch(SharedIndexInformer::hasSynced);
    }

    ClusterContents contents() {
        Map<String, Integer> classes = new HashMap<>();
        for (PriorityClass pc : priorityClasses.getStore().list()) {
            if (pc.getValue() != null) {
                classes.put(pc.getMetadata().getName(), pc.getValue());
            }
        }
        return new ClusterContents(nodes.getStore().list(), pods.getStore().list(), projects.getStore().list(),
                departments.getStore().list(), classes, namespaceQueues());
    }

    /** The project a namespace names with {@code runai/queue}, if any. */
    Map<String, String> namespaceQueues() {
        Map<String, String> out = new HashMap<>();
        for (Namespace ns : namespaces.getStore().list()) {
            var labels = ns.getMetadata().getLabels();
            if (labels != null && labels.get(Labels.QUEUE) != null) {
                out.put(ns.getMetadata().getName(), labels.get(Labels.QUEUE));
            }
        }
        return out;
    }

    Pod pod(String key) {
        return pods.getStore().getByKey(key);
    }

    Project project(String name, String namespace) {
        return projects.getStore().getByKey(namespace + "/" + name);
    }

    @Override
    public void close() {
        all.forEach(SharedIndexInformer::close);
    }
}
