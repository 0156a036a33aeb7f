package io.gpuq.cli.demo;

import io.fabric8.kubernetes.client.Config;
import io.gpuq.webhook.server.ServerOptions;

/**
 * Starts the admission webhook process as {@code gpuq webhook} wires it (informers, settings
 * ConfigMap, HTTPS server), against the given API; supplied by the command line module, which owns
 * that wiring.
 */
@FunctionalInterface
public interface WebhookLauncher {

    /** A started webhook; closing it drains and stops it. */
    interface RunningWebhook extends AutoCloseable {
        int port();

        int metricsPort();

        @Override
        void close();
    }

    /**
     * @throws io.gpuq.cli.UserInputException when a port cannot be bound or the TLS files are unusable
     */
    RunningWebhook start(Config kubernetes, ServerOptions options);
}
