package io.gpuq.cli;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.gpuq.webhook.admission.AdmissionService;
import io.gpuq.webhook.cluster.InformerClusterView;
import io.gpuq.webhook.config.WebhookConfig;
import io.gpuq.webhook.server.AdmissionMetrics;
import io.gpuq.webhook.server.ServerOptions;
import io.gpuq.webhook.server.WebhookServer;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The webhook's parts wired together: Kubernetes client and informers, ConfigMap settings, the
 * admission rules and the HTTPS server. {@link #stop()} undoes it in reverse, draining the server first.
 */
final class WebhookProcess {

    private static final Logger LOG = Logger.getLogger(WebhookProcess.class.getName());

    private final Vertx vertx;
    private final KubernetesClient client;
    private final InformerClusterView view;
    private final WebhookConfig config;
    private final WebhookServer server;

    private WebhookProcess(Vertx vertx, KubernetesClient client, InformerClusterView view, WebhookConfig config,
                           WebhookServer server) {
        this.vertx = vertx;
        this.client = client;
        this.view = view;
        this.config = config;
        this.server = server;
    }

    /**
     * Starts everything and returns once both ports listen. The informers keep syncing in the
     * background; {@code /readyz} says when they are done.
     *
     * @throws UserInputException when the TLS files are unusable or a port cannot be bound
     */
    static WebhookProcess start(Config k8s, ServerOptions options, String namespace, String configMap,
                                Duration configScanPeriod) {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(Math.max(2, options.instances() + 1)));
        KubernetesClient client = null;
        InformerClusterView view = null;
        WebhookConfig config = null;
        try {
            client = new KubernetesClientBuilder().withConfig(k8s).build();
            config = new WebhookConfig(vertx, WebhookConfig.sourceFor(k8s, namespace, configMap), configScanPeriod,
                    namespace);
            view = new InformerClusterView(client, namespace);
            AdmissionMetrics metrics = new AdmissionMetrics();
            view.caches().forEach(metrics::registerCache);
            InformerClusterView cluster = view;
            WebhookConfig settings = config;
            // Ports first, so that liveness holds while the API server is slow; readiness waits for the
            // first ConfigMap read and the informers.
            WebhookServer server = new WebhookServer(vertx, options, new AdmissionService(view, config),
                    () -> settings.loaded() && cluster.synced(), metrics);
            try {
                server.start().await(60, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new UserInputException(describe(e), e);
            }
            config.start();
            view.start();
            return new WebhookProcess(vertx, client, view, config, server);
        } catch (RuntimeException e) {
            if (view != null) {
                view.close();
            }
            if (config != null) {
                config.close();
            }
            if (client != null) {
                client.close();
            }
            vertx.close();
            throw e;
        }
    }

    WebhookServer server() {
        return server;
    }

    InformerClusterView view() {
        return view;
    }

    /** Graceful: readiness off, in-flight reviews finish, ports close; then informers and client stop. */
    void stop(Duration timeout) {
        try {
            server.shutdown().await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.log(Level.WARNING, "the admission server did not drain within " + timeout.toSeconds()
                    + " s; closing the remaining connections", e);
        }
        config.close();
        view.close();
        client.close();
        try {
            vertx.close().await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.log(Level.WARNING, "Vert.x did not close within 10 s; the process exits anyway", e);
        }
    }

    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getMessage() == null) {
            root = root.getCause();
        }
        String m = root.getMessage();
        if (root instanceof java.net.BindException || (m != null && m.contains("Address already in use"))) {
            return "cannot listen: " + m + " (choose other --port/--metrics-port values)";
        }
        return m == null ? root.getClass().getSimpleName() : m;
    }
}
