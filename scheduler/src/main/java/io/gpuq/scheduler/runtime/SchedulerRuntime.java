package io.gpuq.scheduler.runtime;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.gpuq.scheduler.chargeback.ChargebackService;
import io.gpuq.scheduler.cluster.LeaderTask;
import io.gpuq.scheduler.cluster.SchedulerProcess;
import io.gpuq.scheduler.cluster.WriteObserver;
import io.gpuq.scheduler.cost.ConfigMapLocation;
import io.gpuq.scheduler.cost.ConfigMapPriceTable;
import io.gpuq.scheduler.http.SchedulerHttpServer;
import io.gpuq.scheduler.metrics.SchedulerMetrics;
import io.gpuq.scheduler.runaijob.RunaiJobController;
import io.gpuq.scheduler.runaijob.RunaiJobControllerSettings;
import io.gpuq.scheduler.utilization.DcgmUtilization;
import io.gpuq.scheduler.utilization.UtilizationSettings;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * The scheduler process as deployed: the price table from its ConfigMap (hot-reloaded), the
 * {@code runai_*} metrics, the HTTP port ({@code /metrics}, {@code /healthz}, {@code /readyz},
 * chargeback), the RunaiJob controller and the scheduling loop, with leader election deciding who
 * schedules. {@code gpuq scheduler} and {@code gpuq demo} both start this.
 */
public final class SchedulerRuntime implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SchedulerRuntime.class.getName());

    private final Vertx vertx;
    private final ConfigMapPriceTable prices;
    private final SchedulerProcess process;
    private final SchedulerHttpServer http;
    private final RunaiJobController controller;
    private final SchedulerMetrics metrics;
    private final int port;

    private SchedulerRuntime(KubernetesClient client, RuntimeOptions o) throws Exception {
        this.vertx = Vertx.vertx();
        PrometheusRegistry registry = new PrometheusRegistry();
        JvmMetrics.builder().register(registry);
        this.prices = new ConfigMapPriceTable(vertx, ConfigMapLocation.of(client.getConfiguration(),
                o.scheduler().systemNamespace(), o.priceConfigMap()), o.configScan());
        prices.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        DcgmUtilization utilization = o.prometheusUrl() == null ? null
                : new DcgmUtilization(UtilizationSettings.defaults(o.prometheusUrl()));
        Function<String, String> namespaceOfProject = project -> {
            var p = client.resources(io.gpuq.api.crd.Project.class).inNamespace(o.scheduler().systemNamespace())
                    .withName(project).get();
            return p == null || p.getSpec() == null || p.getSpec().getNamespace() == null ? project
                    : p.getSpec().getNamespace();
        };
        this.metrics = new SchedulerMetrics(registry, o.clock(), prices, utilization,
                new CachedLookup(namespaceOfProject)::get);
        if (utilization != null) {
            metrics.registerCache("dcgm-utilization", utilization.cache());
        }
        this.controller = new RunaiJobController(client, RunaiJobControllerSettings.allNamespaces());
        LeaderTask leaderGauge = new LeaderTask() {
            @Override
            public void startLeading() {
                metrics.setLeader(true);
            }

            @Override
            public void stopLeading() {
                metrics.setLeader(false);
            }
        };
        WriteObserver writes = new WriteObserver() {
            @Override
            public void bindResult(String result) {
                metrics.bindResult(result);
            }

            @Override
            public void evicted(String reason) {
                metrics.evicted(reason);
            }
        };
        this.process = SchedulerProcess.start(client, o.scheduler(), o.leader(), List.of(metrics), writes,
                List.of(leaderGauge, controller), o.clock());
        ChargebackService chargeback = o.prometheusUrl() == null ? null
                : new ChargebackService(o.prometheusUrl(), Duration.ofSeconds(10));
        if (chargeback != null) {
            metrics.registerCache("chargeback", chargeback.cache());
        }
        this.http = new SchedulerHttpServer(vertx, o.httpHost(), o.httpPort(), registry, process::ready, chargeback);
        this.port = http.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        LOG.info(() -> "scheduler HTTP port " + port + ": /metrics, /healthz, /readyz"
                + (chargeback == null ? "" : ", /api/v1/chargeback"));
    }

    /**
     * Starts everything; throws with a clear message when the HTTP port is taken or the price table
     * cannot be read.
     */
    public static SchedulerRuntime start(KubernetesClient client, RuntimeOptions options) throws Exception {
        return new SchedulerRuntime(client, options);
    }

    public int httpPort() {
        return port;
    }

    public SchedulerProcess process() {
        return process;
    }

    public SchedulerMetrics metrics() {
        return metrics;
    }

    @Override
    public void close() {
        process.close();
        controller.close();
        try {
            http.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            prices.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warning(() -> "scheduler HTTP shutdown incomplete: " + e);
        }
    }

    /** A project's namespace, looked up once a minute at most. */
    private static final class CachedLookup {
        private final com.github.benmanes.caffeine.cache.LoadingCache<String, String> cache;

        CachedLookup(Function<String, String> lookup) {
            this.cache = com.github.benmanes.caffeine.cache.Caffeine.newBuilder().maximumSize(10_000)
                    .expireAfterWrite(Duration.ofMinutes(1)).build(lookup::apply);
        }

        String get(String project) {
            return cache.get(project);
        }
    }
}
