package io.gpuq.cli;

import io.gpuq.api.Names;
import io.gpuq.cli.demo.Demo;
import io.gpuq.cli.demo.DemoOptions;
import io.gpuq.cli.demo.WebhookLauncher;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** {@code gpuq demo}: the whole system in one process, no cluster needed (DESIGN §6). */
@Command(name = "demo",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Run gpuq without a cluster: an in-process Kubernetes API, the admission webhook over HTTPS, "
                + "the scheduler and a kubelet stand-in, replaying a scenario (default: the seed's 16-GPU cluster) "
                + "with a live per-project table and a summary. Writes .gpuq/demo/kubeconfig and "
                + ".gpuq/demo/webhook-ca.crt under the current directory, so kubectl and curl can look in while it runs.")
final class DemoCommand implements Runnable {

    @Option(names = "--scenario", paramLabel = "FILE",
            description = "scenario file, as for gpuq simulate (default: the bundled examples/seed-16gpu.yaml)")
    Path scenario;

    @Option(names = "--speed", paramLabel = "N", defaultValue = "10",
            description = "scenario seconds per wall second, 0.1 to 1000 (default: ${DEFAULT-VALUE})")
    double speed;

    @Option(names = "--forever", description = "keep serving after the replay, until Ctrl-C")
    boolean forever;

    @Option(names = "--api-port", paramLabel = "PORT", defaultValue = "" + DemoOptions.DEFAULT_API_PORT,
            description = "port of the embedded Kubernetes API (default: ${DEFAULT-VALUE})")
    int apiPort;

    @Option(names = "--webhook-port", paramLabel = "PORT", defaultValue = "" + DemoOptions.DEFAULT_WEBHOOK_PORT,
            description = "HTTPS port of the admission webhook (default: ${DEFAULT-VALUE})")
    int webhookPort;

    @Option(names = "--metrics-port", paramLabel = "PORT", defaultValue = "" + DemoOptions.DEFAULT_METRICS_PORT,
            description = "scheduler /metrics, /healthz and /readyz (default: ${DEFAULT-VALUE})")
    int metricsPort;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        DemoOptions options = new DemoOptions(scenario, speed, forever, apiPort, webhookPort, metricsPort,
                Path.of("").toAbsolutePath());
        PrintWriter out = spec.commandLine().getOut();
        // A terminal gets the table redrawn in place; a pipe or a file gets plain lines.
        Demo demo = Demo.start(options, DemoCommand::startWebhook, out, System.console() != null);
        CountDownLatch finished = new CountDownLatch(1);
        Thread onCtrlC = new Thread(() -> {
            demo.requestStop();
            try {
                finished.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "gpuq-demo-shutdown");
        Runtime.getRuntime().addShutdownHook(onCtrlC);
        try {
            demo.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            demo.close();
            out.println("gpuq demo stopped: the embedded cluster, webhook and scheduler are shut down.");
            out.flush();
            finished.countDown();
            removeHook(onCtrlC);
        }
    }

    /** The webhook as {@code gpuq webhook} wires it, against the demo's API. */
    private static WebhookLauncher.RunningWebhook startWebhook(io.fabric8.kubernetes.client.Config k8s,
                                                               io.gpuq.webhook.server.ServerOptions options) {
        WebhookProcess process = WebhookProcess.start(k8s, options, Names.SYSTEM_NAMESPACE, "gpuq-webhook",
                Duration.ofSeconds(10));
        return new WebhookLauncher.RunningWebhook() {
            @Override
            public int port() {
                return process.server().port();
            }

            @Override
            public int metricsPort() {
                return process.server().metricsPort();
            }

            @Override
            public void close() {
                process.stop(Duration.ofSeconds(5));
            }
        };
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down (Ctrl-C): the hook is running and ends with this thread.
        }
    }
}
