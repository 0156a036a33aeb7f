package io.gpuq.embedded;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;

/**
 * An in-process Kubernetes API on a loopback port: the fabric8 mock server in CRUD mode behind
 * {@link ApiServerDispatcher}, so bindings, evictions, admission and injected faults behave as a
 * scheduler expects of a real API server.
 */
public final class EmbeddedApiServer implements AutoCloseable {
    /** The mock server logs every request at INFO; keep its warnings only (held so it is not collected). */
    private static final java.util.logging.Logger MOCK_LOG = quiet("io.fabric8.mockwebserver");

    private final FaultInjector faults = new FaultInjector();
    private final ClockedCrudStore store = new ClockedCrudStore();
    private final ApiServerDispatcher dispatcher;
    private KubernetesMockServer server;
    private boolean started;

    public EmbeddedApiServer() {
        this.dispatcher = new ApiServerDispatcher(store, faults);
        this.server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
    }

    /**
     * Starts listening on 127.0.0.1:{@code port} (0 picks a free port).
     *
     * @throws PortInUseException when the port is taken
     */
    public synchronized EmbeddedApiServer start(int port) {
        if (started) {
            throw new IllegalStateException("the embedded API is already started");
        }
        try {
            server.init(InetAddress.getLoopbackAddress(), port);
        } catch (RuntimeException e) {
            if (causedByBind(e)) {
                throw new PortInUseException("cannot serve the embedded Kubernetes API on 127.0.0.1:" + port
                        + ": the port is in use (choose another with --api-port)", e);
            }
            throw e;
        }
        started = true;
        return this;
    }

    /**
     * Drops every connection, watches included, as an API server restart or a load balancer does: the
     * server stops and starts again on the same port with the same stored objects. Clients must
     * reconnect and re-watch.
     */
    public synchronized void dropConnections() {
        if (!started) {
            throw new IllegalStateException("the embedded API is not started");
        }
        int port = server.getPort();
        try {
            server.destroy();
        } catch (IllegalStateException e) {
            MOCK_LOG.fine(() -> "connections outlived the shutdown wait: " + e.getMessage());
        }
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
        server.init(InetAddress.getLoopbackAddress(), port);
    }

    public FaultInjector faults() {
        return faults;
    }

    /** Every pod create goes through {@code hook} from now on (null: no admission). */
    public void setAdmission(AdmissionHook hook) {
        dispatcher.setAdmission(hook);
    }

    /**
     * New objects get their {@code creationTimestamp} from {@code clock} (to the millisecond, strictly
     * increasing) instead of the wall clock: the API server of a cluster whose time runs faster.
     */
    public void useClock(java.time.InstantSource clock) {
        store.useClock(clock);
    }

    public int port() {
        return server.getPort();
    }

    public String url() {
        return "http://127.0.0.1:" + port();
    }

    /** A new client for this API; the caller closes it. */
    public KubernetesClient newClient() {
        Config config = new io.fabric8.kubernetes.client.ConfigBuilder(Config.empty())
                .withMasterUrl(url())
                .withTrustCerts(true)
                .withNamespace("default")
                .withRequestRetryBackoffLimit(0)
                .build();
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    /** Writes a kubeconfig for this API (plain HTTP on loopback, no credentials). */
    public Path writeKubeconfig(Path file) {
        String text = String.join("\n",
                "apiVersion: v1",
                "kind: Config",
                "clusters:",
                "- name: gpuq-demo",
                "  cluster:",
                "    server: " + url(),
                "contexts:",
                "- name: gpuq-demo",
                "  context:",
                "    cluster: gpuq-demo",
                "    user: gpuq-demo",
                "    namespace: default",
                "current-context: gpuq-demo",
                "users:",
                "- name: gpuq-demo",
                "  user: {}",
                "");
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the kubeconfig " + file, e);
        }
        return file;
    }

    @Override
    public synchronized void close() {
        if (started) {
            started = false;
            try {
                server.destroy();
            } catch (IllegalStateException e) {
                // Lingering client connections can outlast the mock server's shutdown wait; the port is
                // released regardless, and nothing is left to flush.
                MOCK_LOG.fine(() -> "embedded API closed with connections still open: " + e.getMessage());
            }
            store.close();
        }
    }

    private static java.util.logging.Logger quiet(String name) {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
        logger.setLevel(java.util.logging.Level.WARNING);
        return logger;
    }

    private static boolean causedByBind(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException
                    || (t.getMessage() != null && t.getMessage().contains("Address already in use"))) {
                return true;
            }
        }
        return false;
    }

    /** The API port is taken. */
    public static final class PortInUseException extends RuntimeException {
        PortInUseException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
