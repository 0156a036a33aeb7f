package io.gpuq.cli.demo;

import io.gpuq.cli.UserInputException;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Tells a user at once, in one line, that a port the demo needs is taken (most often by a demo that
 * is still running), before anything starts or is written.
 */
final class PortCheck {
    private PortCheck() {
    }

    static void requireFree(int port, String option) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        } catch (IOException e) {
            throw inUse(port, option);
        }
    }

    static UserInputException inUse(int port, String option) {
        return new UserInputException("port " + port + " (" + option + ") is already in use on 127.0.0.1; is another "
                + "gpuq demo running? Stop it, or choose free ports with --api-port, --webhook-port and --metrics-port");
    }
}
