package io.gpuq.scheduler.sim;

import io.gpuq.scheduler.sim.scenario.Scenario;
import io.gpuq.scheduler.sim.scenario.ScenarioLoader;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Finds the repository's examples/ directory whichever module directory the tests run in. */
final class Examples {
    private Examples() {
    }

    static Path path(String file) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("examples").resolve(file);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("examples/" + file + " not found above " + Path.of("").toAbsolutePath());
    }

    static Scenario load(String file) {
        return ScenarioLoader.load(path(file));
    }

    /** The same scenario, observed only at {@code times}, to look at a moment the file does not observe. */
    static Scenario observedAt(Scenario s, Long... times) {
        return new Scenario(s.source(), s.cycleSeconds(), s.nodes(), s.departments(), s.projects(), s.prices(),
                s.workloads(), List.of(times));
    }
}
