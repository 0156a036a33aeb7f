package io.gpuq.cli.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * What the demo writes, all under {@code .gpuq/demo} of the directory it was started in (DESIGN §6):
 * the kubeconfig of the embedded API, the webhook's CA (to call it with curl), the webhook's own
 * certificate and key, and the log of every component.
 */
record DemoPaths(Path dir, Path kubeconfig, Path webhookCa, Path webhookCert, Path webhookKey, Path log) {

    static DemoPaths under(Path workingDirectory) {
        Path dir = workingDirectory.resolve(".gpuq").resolve("demo");
        return new DemoPaths(dir, dir.resolve("kubeconfig"), dir.resolve("webhook-ca.crt"), dir.resolve("webhook.crt"),
                dir.resolve("webhook.key"), dir.resolve("demo.log"));
    }

    /** rw------- where the file system has POSIX permissions (a private key, a kubeconfig). */
    static void ownerOnly(Path file) throws IOException {
        if (Files.getFileAttributeView(file, PosixFileAttributeView.class) != null) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
    }
}
