package io.gpuq.webhook.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How the webhook serves: addresses, TLS files and the limits that protect it from slow or hostile
 * clients. Immutable; build one with {@link #builder(Path, Path)}.
 *
 * @param host              address the admission port binds to
 * @param port              admission port (HTTPS); 0 picks a free port
 * @param metricsHost       address of the plain-HTTP metrics port
 * @param metricsPort       metrics port; 0 picks a free port
 * @param certFile          PEM certificate chain presented to the API server
 * @param keyFile           PEM private key of that certificate (PKCS#1, PKCS#8 or SEC1)
 * @param clientCaFile      PEM CA bundle that must have signed the caller's client certificate, or null
 *                          to accept callers without one
 * @param certCheckInterval how often the TLS files are re-read for rotation
 * @param idleTimeout       a connection with no request in progress for this long is closed, whether or
 *                          not it still trickles bytes
 * @param handshakeTimeout  a connection that has not completed its TLS handshake this long after it
 *                          opened is closed
 * @param requestTimeout    a request whose body has not fully arrived this long after its headers gets
 *                          408 and its connection is closed
 * @param shutdownTimeout   how long a graceful shutdown waits for in-flight requests
 * @param maxBodyBytes      larger bodies get 413
 * @param maxJsonNesting    deeper JSON gets 400
 * @param instances         event loops serving the admission port
 * @param reviewOnWorker    parse, review and write on the worker pool instead of the event loop
 */
public record ServerOptions(
        String host,
        int port,
        String metricsHost,
        int metricsPort,
        Path certFile,
        Path keyFile,
        Path clientCaFile,
        Duration certCheckInterval,
        Duration idleTimeout,
        Duration handshakeTimeout,
        Duration requestTimeout,
        Duration shutdownTimeout,
        int maxBodyBytes,
        int maxJsonNesting,
        int instances,
        boolean reviewOnWorker) {

    public static final int DEFAULT_PORT = 8443;
    public static final int DEFAULT_METRICS_PORT = 9090;
    /** The API server sends at most 3 MiB (DESIGN §3.3); etcd's object limit is below that. */
    public static final int DEFAULT_MAX_BODY_BYTES = 3 * 1024 * 1024;
    public static final int DEFAULT_MAX_JSON_NESTING = 100;

    public ServerOptions {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(metricsHost, "metricsHost");
        Objects.requireNonNull(certFile, "certFile");
        Objects.requireNonNull(keyFile, "keyFile");
        requirePositive(certCheckInterval, "certCheckInterval");
        requirePositive(idleTimeout, "idleTimeout");
        requirePositive(handshakeTimeout, "handshakeTimeout");
        requirePositive(requestTimeout, "requestTimeout");
        Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
        if (port < 0 || port > 65535 || metricsPort < 0 || metricsPort > 65535) {
            throw new IllegalArgumentException("ports must be between 0 and 65535");
        }
        if (maxBodyBytes <= 0 || maxJsonNesting <= 0 || instances <= 0) {
            throw new IllegalArgumentException("maxBodyBytes, maxJsonNesting and instances must be positive");
        }
    }

    private static void requirePositive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }

    public static Builder builder(Path certFile, Path keyFile) {
        return new Builder(certFile, keyFile);
    }

    public Builder toBuilder() {
        Builder b = new Builder(certFile, keyFile);
        b.host = host;
        b.port = port;
        b.metricsHost = metricsHost;
        b.metricsPort = metricsPort;
        b.clientCaFile = clientCaFile;
        b.certCheckInterval = certCheckInterval;
        b.idleTimeout = idleTimeout;
        b.handshakeTimeout = handshakeTimeout;
        b.requestTimeout = requestTimeout;
        b.shutdownTimeout = shutdownTimeout;
        b.maxBodyBytes = maxBodyBytes;
        b.maxJsonNesting = maxJsonNesting;
        b.instances = instances;
        b.reviewOnWorker = reviewOnWorker;
        return b;
    }

    /** Defaults: 0.0.0.0:8443 and :9090, 10 s rotation checks, 60 s idle, 10 s handshake and request, 25 s drain. */
    public static final class Builder {
        private final Path certFile;
        private final Path keyFile;
        private String host = "0.0.0.0";
        private int port = DEFAULT_PORT;
        private String metricsHost = "0.0.0.0";
        private int metricsPort = DEFAULT_METRICS_PORT;
        private Path clientCaFile;
        private Duration certCheckInterval = Duration.ofSeconds(10);
        private Duration idleTimeout = Duration.ofSeconds(60);
        private Duration handshakeTimeout = Duration.ofSeconds(10);
        // The API server's webhook timeout is 10 s by default and 30 s at most.
        private Duration requestTimeout = Duration.ofSeconds(10);
        // Kubernetes sends SIGKILL 30 s after SIGTERM by default.
        private Duration shutdownTimeout = Duration.ofSeconds(25);
        private int maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
        private int maxJsonNesting = DEFAULT_MAX_JSON_NESTING;
        private int instances = Math.max(1, Runtime.getRuntime().availableProcessors());
        private boolean reviewOnWorker;

        private Builder(Path certFile, Path keyFile) {
            this.certFile = certFile;
            this.keyFile = keyFile;
        }

        public Builder host(String v) {
            host = v;
            return this;
        }

        public Builder port(int v) {
            port = v;
            return this;
        }

        public Builder metricsHost(String v) {
            metricsHost = v;
            return this;
        }

        public Builder metricsPort(int v) {
            metricsPort = v;
            return this;
        }

        public Builder clientCaFile(Path v) {
            clientCaFile = v;
            return this;
        }

        public Builder certCheckInterval(Duration v) {
            certCheckInterval = v;
            return this;
        }

        public Builder idleTimeout(Duration v) {
            idleTimeout = v;
            return this;
        }

        public Builder handshakeTimeout(Duration v) {
            handshakeTimeout = v;
            return this;
        }

        public Builder requestTimeout(Duration v) {
            requestTimeout = v;
            return this;
        }

        public Builder shutdownTimeout(Duration v) {
            shutdownTimeout = v;
            return this;
        }

        public Builder maxBodyBytes(int v) {
            maxBodyBytes = v;
            return this;
        }

        public Builder maxJsonNesting(int v) {
            maxJsonNesting = v;
            return this;
        }

        public Builder instances(int v) {
            instances = v;
            return this;
        }

        public Builder reviewOnWorker(boolean v) {
            reviewOnWorker = v;
            return this;
        }

        public ServerOptions build() {
            return new ServerOptions(host, port, metricsHost, metricsPort, certFile, keyFile, clientCaFile,
                    certCheckInterval, idleTimeout, handshakeTimeout, requestTimeout, shutdownTimeout, maxBodyBytes, maxJsonNesting,
                    instances, reviewOnWorker);
        }
    }
}
