package io.gpuq.webhook.cluster;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.gpuq.api.crd.Department;
import io.gpuq.api.crd.Project;
import io.gpuq.api.crd.RunaiJob;
import io.gpuq.webhook.ClusterView;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The cluster as admission sees it, kept current by fabric8 shared informers: Namespaces, the Projects
 * and Departments of the system namespace, Nodes, and the owners that make pods a gang (RunaiJobs,
 * batch Jobs and, where their CRDs are installed, Kubeflow training jobs). Every answer comes from the
 * informers' caches, so a review never waits on the API server. Computed answers that are asked for
 * again and again sit in Caffeine caches that the informers' events invalidate:
 * <ul>
 *   <li>{@code cluster_pools}: the per-pool GPU summary, recomputed only after a node's pool, GPU model,
 *       memory or count changed (not on every status heartbeat);</li>
 *   <li>{@code cluster_gangs}: gang facts per owner, dropped when that owner changes.</li>
 * </ul>
 * Informers re-list and re-watch by themselves after watch errors; failures to list (an RBAC gap, a CRD
 * not installed yet) are logged and retried, and {@link #synced()} stays false until every informer has
 * listed once. Thread-safe: event loops read it concurrently while informer threads update it.
 */
public final class InformerClusterView implements ClusterView, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(InformerClusterView.class.getName());

    static final String BY_NAMESPACE = "spec.namespace";
    private static final String POOLS_KEY = "pools";

    /** An owner kind whose objects are read generically, as Kubeflow's training jobs are. */
    public record OwnerKind(String apiVersion, String kind) {
    }

    /** Kubeflow training jobs with {@code spec.<framework>ReplicaSpecs}; informed only where installed. */
    public static final List<OwnerKind> KUBEFLOW_OWNERS = List.of(
            new OwnerKind("kubeflow.org/v1", "PyTorchJob"),
            new OwnerKind("kubeflow.org/v1", "TFJob"),
            new OwnerKind("kubeflow.org/v1", "XGBoostJob"),
            new OwnerKind("kubeflow.org/v1", "PaddleJob"),
            new OwnerKind("kubeflow.org/v1", "JAXJob"),
            new OwnerKind("kubeflow.org/v2beta1", "MPIJob"));

    private static final OwnerKind RUNAI_JOB = new OwnerKind("run.ai/v1", "RunaiJob");
    private static final OwnerKind BATCH_JOB = new OwnerKind("batch/v1", "Job");

    private record OwnerKey(String namespace, String apiVersion, String kind, String name) {
    }

    private final KubernetesClient client;
    private final String systemNamespace;
    private final List<OwnerKind> genericOwnerKinds;
    private final List<SharedIndexInformer<?>> informers = new CopyOnWriteArrayList<>();
    private final Map<OwnerKind, SharedIndexInformer<GenericKubernetesResource>> genericOwners = new ConcurrentHashMap<>();
    private final SharedIndexInformer<Namespace> namespaces;
    private final SharedIndexInformer<Project> projects;
    private final SharedIndexInformer<Department> departments;
    private final SharedIndexInformer<Node> nodes;
    private final SharedIndexInformer<RunaiJob> runaiJobs;
    private final SharedIndexInformer<Job> jobs;
    private volatile boolean started;
    private volatile boolean discovered;
    private volatile boolean closed;
    private Thread discovery;

    /** How long to wait before asking again which optional owner kinds are served. */
    static final Duration DISCOVERY_RETRY = Duration.ofSeconds(10);

    private final LoadingCache<String, Map<String, PoolGpus>> pools;
    private final LoadingCache<OwnerKey, Optional<Gang>> gangs;

    public InformerClusterView(KubernetesClient client, String systemNamespace) {
        this(client, systemNamespace, KUBEFLOW_OWNERS);
    }

    /**
     * @param genericOwnerKinds owner kinds read generically for gang sizes; each is informed only if the
     *                          API server serves it when {@link #start()} runs
     */
    public InformerClusterView(KubernetesClient client, String systemNamespace, List<OwnerKind> genericOwnerKinds) {
        this.client = client;
        this.systemNamespace = systemNamespace;
        this.genericOwnerKinds = List.copyOf(genericOwnerKinds);
        this.pools = Caffeine.newBuilder()
                .maximumSize(1)
                .recordStats()
                .build(key -> summarizeNodes());
        this.gangs = Caffeine.newBuilder()
                .maximumSize(20_000)
                // Events invalidate entries; expiry only bounds the life of an entry for a missed event.
                .expireAfterWrite(Duration.ofMinutes(10))
                .recordStats()
                .build(this::computeGang);
        namespaces = register("Namespaces", client.namespaces().runnableInformer(0));
        projects = client.resources(Project.class).inNamespace(systemNamespace).runnableInformer(0);
        projects.addIndexers(Map.of(BY_NAMESPACE, p -> Collections.singletonList(p.effectiveNamespace())));
        register("Projects in " + systemNamespace, projects);
        departments = register("Departments in " + systemNamespace,
                client.resources(Department.class).inNamespace(systemNamespace).runnableInformer(0));
        nodes = register("Nodes", client.nodes().runnableInformer(0));
        nodes.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Node node) {
                pools.invalidate(POOLS_KEY);
            }

            @Override
            public void onUpdate(Node before, Node after) {
                if (!NodeGpus.sameFacts(before, after)) {
                    pools.invalidate(POOLS_KEY);
                }
            }

            @Override
            public void onDelete(Node node, boolean finalStateUnknown) {
                pools.invalidate(POOLS_KEY);
            }
        });
        runaiJobs = register("RunaiJobs", client.resources(RunaiJob.class).inAnyNamespace().runnableInformer(0));
        runaiJobs.addEventHandler(invalidatingGangs(RUNAI_JOB));
        jobs = register("batch Jobs", client.batch().v1().jobs().inAnyNamespace().runnableInformer(0));
        jobs.addEventHandler(invalidatingGangs(BATCH_JOB));
    }

    /**
     * Starts the informers and returns at once. Which optional owner kinds the API server serves is
     * asked in the background (and asked again every {@link #DISCOVERY_RETRY} while the API server
     * cannot answer), so an unreachable API server delays nothing but readiness. The returned future
     * completes when every informer, the optional ones included, has synced; until then
     * {@link #synced()} is false and lookups answer from what has arrived so far.
     */
    public synchronized CompletableFuture<Void> start() {
        if (started) {
            throw new IllegalStateException("already started");
        }
        started = true;
        List<CompletableFuture<Void>> syncs = new ArrayList<>();
        for (SharedIndexInformer<?> informer : informers) {
            syncs.add(informer.start().toCompletableFuture());
        }
        CompletableFuture<Void> optional = new CompletableFuture<>();
        discovery = new Thread(() -> discoverOptionalOwners(optional), "gpuq-owner-discovery");
        discovery.setDaemon(true);
        discovery.start();
        syncs.add(optional);
        return CompletableFuture.allOf(syncs.toArray(CompletableFuture[]::new))
                .whenComplete((v, err) -> {
                    if (err == null) {
                        LOG.info("cluster caches synced: " + informers.size() + " informers; admission is ready");
                    }
                });
    }

    /** Asks once per API group version which owner kinds are served, then informs those. */
    private void discoverOptionalOwners(CompletableFuture<Void> synced) {
        Map<String, List<OwnerKind>> byVersion = new LinkedHashMap<>();
        for (OwnerKind kind : genericOwnerKinds) {
            byVersion.computeIfAbsent(kind.apiVersion(), v -> new ArrayList<>()).add(kind);
        }
        List<CompletableFuture<Void>> syncs = new ArrayList<>();
        for (Map.Entry<String, List<OwnerKind>> e : byVersion.entrySet()) {
            Set<String> served = null;
            while (served == null && !closed) {
                try {
                    served = servedKinds(e.getKey());
                } catch (KubernetesClientException ex) {
                    if (closed) {
                        return;
                    }
                    LOG.warning("cannot ask the API server which kinds " + e.getKey() + " serves (" + describe(ex)
                            + "); asking again in " + DISCOVERY_RETRY.toSeconds() + " s, admission stays unready");
                    try {
                        Thread.sleep(DISCOVERY_RETRY.toMillis());
                    } catch (InterruptedException interrupted) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
            if (closed) {
                return;
            }
            for (OwnerKind kind : e.getValue()) {
                if (!served.contains(kind.kind())) {
                    LOG.fine(() -> kind.kind() + " (" + kind.apiVersion() + ") is not served; its pods get no gang facts");
                    continue;
                }
                SharedIndexInformer<GenericKubernetesResource> informer = register(kind.kind() + " (" + kind.apiVersion() + ")",
                        client.genericKubernetesResources(kind.apiVersion(), kind.kind()).inAnyNamespace().runnableInformer(0));
                informer.addEventHandler(invalidatingGangs(kind));
                genericOwners.put(kind, informer);
                syncs.add(informer.start().toCompletableFuture());
                LOG.info(kind.kind() + " (" + kind.apiVersion() + ") is served; reading gang sizes from its replica specs");
            }
        }
        discovered = true;
        CompletableFuture.allOf(syncs.toArray(CompletableFuture[]::new))
                .whenComplete((v, err) -> synced.complete(null));
    }

    /** Kinds served in one group version; empty when the group version is not served at all. */
    private Set<String> servedKinds(String apiVersion) {
        APIResourceList resources;
        try {
            resources = client.getApiResources(apiVersion);
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return Set.of();
            }
            throw e;
        }
        Set<String> kinds = new HashSet<>();
        if (resources != null && resources.getResources() != null) {
            for (APIResource r : resources.getResources()) {
                if (r.getName() != null && !r.getName().contains("/")) {
                    kinds.add(r.getKind());
                }
            }
        }
        return kinds;
    }

    private <T extends HasMetadata> SharedIndexInformer<T> register(String what, SharedIndexInformer<T> informer) {
        informer.exceptionHandler((started, error) -> {
            LOG.log(Level.WARNING, "informer for " + what + (started ? " lost its watch" : " cannot list")
                    + ": " + describe(error) + "; retrying" + (started ? " with a fresh list" : ", admission stays unready"),
                    LOG.isLoggable(Level.FINE) ? error : null);
            return true;
        });
        informers.add(informer);
        return informer;
    }

    /** Keys by the informer's kind: list items need not carry apiVersion and kind themselves. */
    private <T extends HasMetadata> ResourceEventHandler<T> invalidatingGangs(OwnerKind kind) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) {
                invalidate(kind, obj);
            }

            @Override
            public void onUpdate(T before, T after) {
                invalidate(kind, after);
            }

            @Override
            public void onDelete(T obj, boolean finalStateUnknown) {
                invalidate(kind, obj);
            }
        };
    }

    private void invalidate(OwnerKind kind, HasMetadata obj) {
        if (obj.getMetadata() == null) {
            return;
        }
        gangs.invalidate(new OwnerKey(obj.getMetadata().getNamespace(), kind.apiVersion(), kind.kind(),
                obj.getMetadata().getName()));
    }

    @Override
    public Optional<Map<String, String>> namespaceLabels(String namespace) {
        if (namespace == null) {
            return Optional.empty();
        }
        Namespace ns = namespaces.getStore().getByKey(namespace);
        if (ns == null) {
            return Optional.empty();
        }
        Map<String, String> labels = ns.getMetadata().getLabels();
        return Optional.of(labels == null ? Map.of() : Collections.unmodifiableMap(labels));
    }

    @Override
    public Optional<Project> project(String name) {
        if (name == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(projects.getStore().getByKey(namespaceKey(systemNamespace, name)));
    }

    /**
     * When several Projects claim one namespace (a misconfiguration the Project validation denies, but
     * one that may predate the webhook), the one named after the namespace wins, then the oldest, so
     * every replica of the webhook picks the same.
     */
    @Override
    public Optional<Project> projectForNamespace(String namespace) {
        if (namespace == null) {
            return Optional.empty();
        }
        List<Project> claiming = projects.getIndexer().byIndex(BY_NAMESPACE, namespace);
        if (claiming.isEmpty()) {
            return Optional.empty();
        }
        if (claiming.size() == 1) {
            return Optional.of(claiming.get(0));
        }
        return claiming.stream().min(Comparator
                .comparing((Project p) -> !namespace.equals(p.getMetadata().getName()))
                .thenComparing(p -> String.valueOf(p.getMetadata().getCreationTimestamp()))
                .thenComparing(p -> p.getMetadata().getName()));
    }

    @Override
    public Optional<Department> department(String name) {
        if (name == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(departments.getStore().getByKey(namespaceKey(systemNamespace, name)));
    }

    @Override
    public Map<String, PoolGpus> pools() {
        return pools.get(POOLS_KEY);
    }

    private Map<String, PoolGpus> summarizeNodes() {
        return NodeGpus.summarize(nodes.getStore().list());
    }

    @Override
    public Optional<Gang> gangOf(String namespace, String apiVersion, String kind, String name) {
        if (namespace == null || apiVersion == null || kind == null || name == null || !knownOwner(apiVersion, kind)) {
            return Optional.empty();
        }
        return gangs.get(new OwnerKey(namespace, apiVersion, kind, name));
    }

    private boolean knownOwner(String apiVersion, String kind) {
        return isRunaiJob(apiVersion, kind) || isBatchJob(apiVersion, kind)
                || genericOwners.containsKey(new OwnerKind(apiVersion, kind));
    }

    private Optional<Gang> computeGang(OwnerKey key) {
        String storeKey = namespaceKey(key.namespace(), key.name());
        if (isRunaiJob(key.apiVersion(), key.kind())) {
            return lookup(runaiJobs, storeKey, OwnerGangs::of);
        }
        if (isBatchJob(key.apiVersion(), key.kind())) {
            return lookup(jobs, storeKey, OwnerGangs::of);
        }
        SharedIndexInformer<GenericKubernetesResource> informer =
                genericOwners.get(new OwnerKind(key.apiVersion(), key.kind()));
        return informer == null ? Optional.empty() : lookup(informer, storeKey, OwnerGangs::of);
    }

    private static <T> Optional<Gang> lookup(SharedIndexInformer<T> informer, String key, Function<T, Optional<Gang>> gang) {
        T owner = informer.getStore().getByKey(key);
        return owner == null ? Optional.empty() : gang.apply(owner);
    }

    private static boolean isRunaiJob(String apiVersion, String kind) {
        return RUNAI_JOB.kind().equals(kind) && RUNAI_JOB.apiVersion().equals(apiVersion);
    }

    private static boolean isBatchJob(String apiVersion, String kind) {
        return BATCH_JOB.kind().equals(kind) && BATCH_JOB.apiVersion().equals(apiVersion);
    }

    @Override
    public boolean synced() {
        if (!started || !discovered) {
            return false;
        }
        for (SharedIndexInformer<?> informer : informers) {
            if (!informer.hasSynced()) {
                return false;
            }
        }
        return true;
    }

    /** The caches to export as {@code caffeine_cache_*{cache="..."}}. */
    public Map<String, Cache<?, ?>> caches() {
        return Map.of("cluster_pools", pools, "cluster_gangs", gangs);
    }

    /** Stops every informer; lookups then answer from the last state they saw. */
    @Override
    public synchronized void close() {
        closed = true;
        if (discovery != null) {
            discovery.interrupt();
        }
        for (SharedIndexInformer<?> informer : informers) {
            informer.stop();
        }
    }

    private static String namespaceKey(String namespace, String name) {
        return namespace + "/" + name;
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
    }
}
