package io.gpuq.webhook.admission;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The project's shared test material lives beside the repository, at {@code ../shared} from its root,
 * i.e. {@code ../../shared} from this module. Tests that read it are skipped only when it is absent.
 * A checkout whose shared folder lies elsewhere points at it with {@code -Dgpuq.shared=<folder>}.
 */
final class SharedFixtures {

    private SharedFixtures() {
    }

    static Path root() {
        String configured = System.getProperty("gpuq.shared");
        Path root = configured == null || configured.isBlank() ? Paths.get("..", "..", "shared") : Paths.get(configured);
        return root.toAbsolutePath().normalize();
    }

    /** A folder under {@code shared/fixtures}; skips the calling test when the shared folder is absent. */
    static Path fixtures(String folder) {
        Path path = root().resolve("fixtures").resolve(folder);
        assumeTrue(Files.isDirectory(path), "shared fixtures not present at " + path);
        return path;
    }
}
