package io.gpuq.cli;

import io.fabric8.kubernetes.client.Config;
import io.gpuq.api.Names;
import io.gpuq.webhook.server.LogSetup;
import io.gpuq.webhook.server.ServerOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Level;

/**
 * {@code gpuq webhook}: the admission webhook as it runs in the cluster (DESIGN §3.3, §6). Connects with
 * the in-cluster service account or the kubeconfig, serves HTTPS until SIGTERM, then drains.
 */
@Command(name = "webhook",
        mixinStandardHelpOptions = true,
        description = "Serve the mutating and validating admission webhooks over HTTPS, with metrics on a "
                + "separate plain-HTTP port. Uses the in-cluster service account, or the kubeconfig outside "
                + "a cluster. SIGTERM drains in-flight reviews before exiting.")
final class WebhookCommand implements Runnable {

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8443",
            description = "HTTPS admission port (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--metrics-port", paramLabel = "PORT", defaultValue = "9090",
            description = "plain-HTTP port for /metrics, /healthz and /readyz (default: ${DEFAULT-VALUE})")
    int metricsPort;

    @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "0.0.0.0",
            description = "address both ports listen on (default: ${DEFAULT-VALUE})")
    String bind;

    @Option(names = "--tls-cert", paramLabel = "FILE", defaultValue = "/etc/gpuq/tls/tls.crt",
            description = "PEM certificate chain; re-read when it changes (default: ${DEFAULT-VALUE})")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE", defaultValue = "/etc/gpuq/tls/tls.key",
            description = "PEM private key of the certificate (default: ${DEFAULT-VALUE})")
    Path tlsKey;

    @Option(names = "--client-ca", paramLabel = "FILE",
            description = "PEM CA bundle; when given, only callers with a client certificate it signed are reviewed")
    Path clientCa;

    @Option(names = "--config-map", paramLabel = "NAME", defaultValue = "gpuq-webhook",
            description = "ConfigMap with the rule settings, hot-reloaded (default: ${DEFAULT-VALUE})")
    String configMap;

    @Option(names = "--namespace", paramLabel = "NS", defaultValue = Names.SYSTEM_NAMESPACE,
            description = "system namespace: Projects, Departments and the ConfigMap (default: ${DEFAULT-VALUE})")
    String namespace;

    @Option(names = "--config-scan-seconds", paramLabel = "S", defaultValue = "10",
            description = "how often the ConfigMap is re-read (default: ${DEFAULT-VALUE})")
    int configScanSeconds;

    @Option(names = "--event-loops", paramLabel = "N",
            description = "event loops serving the admission port (default: the number of CPUs)")
    Integer eventLoops;

    @Option(names = "--json-logs", description = "log one JSON object per line")
    boolean jsonLogs;

    @Option(names = "--log-every-review",
            description = "log allowed reviews too (uid, namespace/name, operation, duration); denials are always logged")
    boolean logEveryReview;

    @Override
    public void run() {
        ServerOptions options = options();
        LogSetup.configure(jsonLogs, Level.INFO, logEveryReview);
        Config k8s = Config.autoConfigure(null);
        WebhookProcess process = WebhookProcess.start(k8s, options, namespace, configMap,
                Duration.ofSeconds(configScanSeconds));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            process.stop(options.shutdownTimeout().plusSeconds(2));
            stopped.countDown();
        }, "gpuq-webhook-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Checks the options a user can get wrong before anything starts. */
    ServerOptions options() {
        checkPort("--port", port);
        checkPort("--metrics-port", metricsPort);
        if (port == metricsPort) {
            throw new UserInputException("--port and --metrics-port are both " + port + "; they must differ");
        }
        checkReadable("--tls-cert", "TLS certificate", tlsCert);
        checkReadable("--tls-key", "TLS private key", tlsKey);
        if (clientCa != null) {
            checkReadable("--client-ca", "client CA", clientCa);
        }
        if (configScanSeconds < 1) {
            throw new UserInputException("--config-scan-seconds must be at least 1, not " + configScanSeconds);
        }
        if (eventLoops != null && (eventLoops < 1 || eventLoops > 256)) {
            throw new UserInputException("--event-loops must be between 1 and 256, not " + eventLoops);
        }
        ServerOptions.Builder b = ServerOptions.builder(tlsCert, tlsKey)
                .host(bind).metricsHost(bind)
                .port(port).metricsPort(metricsPort)
                .clientCaFile(clientCa);
        if (eventLoops != null) {
            b.instances(eventLoops);
        }
        return b.build();
    }

    private static void checkPort(String option, int value) {
        if (value < 1 || value > 65535) {
            throw new UserInputException(option + " must be between 1 and 65535, not " + value);
        }
    }

    private static void checkReadable(String option, String what, Path file) {
        if (!Files.exists(file)) {
            throw new UserInputException(what + " file " + file + " does not exist (" + option + ")");
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new UserInputException(what + " file " + file + " is not a readable file (" + option + ")");
        }
    }
}
