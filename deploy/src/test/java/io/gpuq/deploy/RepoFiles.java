package io.gpuq.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Paths of the repository the tests check: the sources (grafana/, alerts/) and the chart. */
final class RepoFiles {

    private RepoFiles() {
    }

    /** The repository root, passed by the build as gpuq.repo.root; else found from the working directory. */
    static Path root() {
        String property = System.getProperty("gpuq.repo.root");
        if (property != null) {
            return Path.of(property).toAbsolutePath().normalize();
        }
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("charts/gpuq"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("cannot find the repository root (no charts/gpuq above "
                    + Path.of("").toAbsolutePath() + "); set -Dgpuq.repo.root");
        }
        return dir;
    }

    static Path chart() {
        return root().resolve("charts/gpuq");
    }

    static Path grafana() {
        return root().resolve("grafana");
    }

    static Path alerts() {
        return root().resolve("alerts");
    }

    /** The dashboard sources, sorted by name. */
    static List<Path> dashboards() {
        return list(grafana(), ".json");
    }

    /** The rule files of alerts/ (not the tests), sorted by name. */
    static List<Path> ruleFiles() {
        return list(alerts(), ".yaml");
    }

    static List<Path> list(Path dir, String suffix) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> Files.isRegularFile(p) && p.getFileName().toString().endsWith(suffix))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
