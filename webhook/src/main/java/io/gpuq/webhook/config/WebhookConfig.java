package io.gpuq.webhook.config;

import io.gpuq.webhook.WebhookSettings;
import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The admission rule settings, read from a ConfigMap through the Vert.x ConfigMap store and re-read every
 * scan period. Readers call {@link #get()} on every review; it returns the last settings that parsed
 * cleanly, or the defaults until a ConfigMap has been read. A ConfigMap that does not exist means
 * defaults; one with a bad value is rejected whole and the previous settings stay in force.
 */
public final class WebhookConfig implements Supplier<WebhookSettings> {

    private static final Logger LOG = Logger.getLogger(WebhookConfig.class.getName());

    /** Where the Vert.x store finds the ConfigMap. */
    public record Source(String namespace, String name, String host, int port, boolean ssl, String token) {
        public Source {
            Objects.requireNonNull(namespace, "namespace");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(host, "host");
        }

        /** "namespace/name", as log lines name the ConfigMap. */
        public String ref() {
            return namespace + "/" + name;
        }
    }

    private static final Path SERVICE_ACCOUNT_TOKEN = Path.of("/var/run/secrets/kubernetes.io/serviceaccount/token");

    private final Vertx vertx;
    private final Source source;
    private final Duration scanPeriod;
    private final String systemNamespace;
    private final AtomicReference<WebhookSettings> current;
    private volatile boolean loaded;
    private ConfigRetriever retriever;

    public WebhookConfig(Vertx vertx, Source source, Duration scanPeriod, String systemNamespace) {
        this.vertx = vertx;
        this.source = source;
        this.scanPeriod = scanPeriod;
        this.systemNamespace = systemNamespace;
        WebhookSettings d = WebhookSettings.defaults();
        this.current = new AtomicReference<>(new WebhookSettings(d.optInLabelKey(), d.optInLabelValue(),
                d.schedulerName(), d.enforceScheduler(), d.defaultWorkloadType(), d.mpsPools(), systemNamespace,
                d.schedulerUsers()));
    }

    /**
     * The store's connection from the client configuration the rest of the process uses. Inside a pod
     * the token is left out so that the store re-reads the projected service-account token, which the
     * kubelet rotates; outside, the kubeconfig's bearer token is used (client-certificate kubeconfigs
     * cannot be used by the store, which then logs that the ConfigMap is unreadable and defaults apply).
     */
    public static Source sourceFor(io.fabric8.kubernetes.client.Config k8s, String namespace, String name) {
        URI master = URI.create(k8s.getMasterUrl());
        boolean ssl = !"http".equalsIgnoreCase(master.getScheme());
        int port = master.getPort() > 0 ? master.getPort() : (ssl ? 443 : 80);
        boolean inCluster = System.getenv("KUBERNETES_SERVICE_HOST") != null && Files.isReadable(SERVICE_ACCOUNT_TOKEN);
        String token = inCluster ? null : k8s.getAutoOAuthToken();
        if (token == null && !inCluster) {
            token = k8s.getOauthToken();
        }
        return new Source(namespace, name, master.getHost(), port, ssl, token);
    }

    /**
     * Reads the ConfigMap once and starts watching it. Completes with the settings in force: the
     * ConfigMap's when it could be read and is valid, otherwise the defaults (the reason is logged and
     * the next scans keep trying).
     */
    public Future<WebhookSettings> start() {
        JsonObject store = new JsonObject()
                .put("namespace", source.namespace())
                .put("name", source.name())
                .put("optional", true)
                .put("host", source.host())
                .put("port", source.port())
                .put("ssl", source.ssl());
        if (source.token() != null) {
            store.put("token", source.token());
        }
        retriever = ConfigRetriever.create(vertx, new ConfigRetrieverOptions()
                .setIncludeDefaultStores(false)
                .setScanPeriod(scanPeriod.toMillis())
                .addStore(new ConfigStoreOptions().setType("configmap").setConfig(store)));
        retriever.listen(change -> apply(change.getNewConfiguration()));
        return retriever.getConfig()
                .map(data -> {
                    apply(data);
                    return get();
                })
                .recover(err -> {
                    LOG.warning("cannot read ConfigMap " + source.ref() + " (" + err.getMessage()
                            + "); serving with default settings and retrying every " + scanPeriod.toSeconds() + " s");
                    return Future.succeededFuture(get());
                })
                .onComplete(ar -> loaded = true);
    }

    /** True once the first read of the ConfigMap has finished, whether it found valid settings or not. */
    public boolean loaded() {
        return loaded;
    }

    @Override
    public WebhookSettings get() {
        return current.get();
    }

    /**
     * Parses one version of the ConfigMap's data and, when valid, makes it the settings in force.
     *
     * @return true when the data was accepted
     */
    public boolean apply(JsonObject data) {
        SettingsParser.Result result = SettingsParser.parse(data == null ? new JsonObject() : data, systemNamespace);
        if (!result.ignoredKeys().isEmpty()) {
            LOG.info("ConfigMap " + source.ref() + ": ignoring keys the webhook does not use: " + result.ignoredKeys()
                    + " (known keys: " + SettingsParser.KEYS + ")");
        }
        if (!result.valid()) {
            for (String error : result.errors()) {
                LOG.warning("ConfigMap " + source.ref() + ": " + error);
            }
            LOG.warning("ConfigMap " + source.ref() + " rejected (" + result.errors().size()
                    + " invalid value(s)); keeping the previous settings: " + SettingsParser.summary(get()));
            return false;
        }
        WebhookSettings next = result.settings().orElseThrow();
        WebhookSettings previous = current.getAndSet(next);
        if (!next.equals(previous)) {
            LOG.info("ConfigMap " + source.ref() + " applied; reviews now use " + SettingsParser.summary(next));
        } else if (LOG.isLoggable(Level.FINE)) {
            LOG.fine("ConfigMap " + source.ref() + " re-read; settings unchanged");
        }
        return true;
    }

    /** Stops the scans; the settings in force stay readable. */
    public Future<Void> close() {
        return retriever == null ? Future.succeededFuture() : retriever.close();
    }
}
