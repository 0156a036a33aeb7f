package io.gpuq.cli.demo;

import io.gpuq.cli.UserInputException;
import io.gpuq.scheduler.sim.scenario.DepartmentSpec;
import io.gpuq.scheduler.sim.scenario.NodeSpec;
import io.gpuq.scheduler.sim.scenario.ProjectSpec;
import io.gpuq.scheduler.sim.scenario.Scenario;
import io.gpuq.scheduler.sim.scenario.ScenarioException;
import io.gpuq.scheduler.sim.scenario.ScenarioLoader;
import io.gpuq.scheduler.sim.scenario.WorkloadSpec;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * The scenario a demo replays: a §7 file, or the seed's 16-GPU cluster bundled in the jar. Besides what
 * the scenario loader checks, the demo needs names Kubernetes accepts, since projects become
 * namespaces, workloads become pods and labels, and nodes become Node objects.
 */
final class DemoScenario {
    static final String BUNDLED = "seed-16gpu.yaml";

    /** RFC 1123 label: namespaces, label values, the workload part of pod names. */
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    /** RFC 1123 subdomain: node and custom resource names. */
    private static final Pattern SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final int MAX_POD_INDEX_DIGITS = 4;

    private DemoScenario() {
    }

    /** The file's scenario, or the bundled seed scenario when {@code file} is null. */
    static Scenario load(Path file) {
        Scenario scenario;
        try {
            scenario = file == null ? bundled() : ScenarioLoader.load(file);
        } catch (ScenarioException e) {
            throw new UserInputException(e.getMessage(), e);
        }
        checkNames(scenario);
        return scenario;
    }

    private static Scenario bundled() {
        try (InputStream in = DemoScenario.class.getResourceAsStream(BUNDLED)) {
            if (in == null) {
                throw new IllegalStateException("the default scenario " + BUNDLED + " is missing from the gpuq jar");
            }
            return ScenarioLoader.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8),
                    "examples/" + BUNDLED + " (bundled)");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the bundled scenario " + BUNDLED, e);
        }
    }

    static void checkNames(Scenario s) {
        for (ProjectSpec p : s.projects()) {
            require(LABEL.matcher(p.name()).matches(), s, "project '" + p.name() + "' becomes a namespace, so its name must be "
                    + "at most 63 lowercase letters, digits and '-', starting and ending with a letter or digit");
        }
        for (DepartmentSpec d : s.departments()) {
            require(SUBDOMAIN.matcher(d.name()).matches() && d.name().length() <= 253, s, "department '" + d.name()
                    + "' becomes a Department object, so its name must be lowercase letters, digits, '-' and '.'");
        }
        for (NodeSpec n : s.nodes()) {
            for (String name : n.nodeNames()) {
                require(SUBDOMAIN.matcher(name).matches() && name.length() <= 253, s, "node '" + name
                        + "' becomes a Node object, so its name must be lowercase letters, digits, '-' and '.'");
            }
        }
        for (WorkloadSpec w : s.workloads()) {
            require(LABEL.matcher(w.name()).matches() && w.name().length() <= 63 - MAX_POD_INDEX_DIGITS - 1, s,
                    "workload '" + w.name() + "' names its pods (<workload>-<index>) and a label, so its name must be "
                    + "at most 58 lowercase letters, digits and '-', starting and ending with a letter or digit");
        }
    }

    private static void require(boolean ok, Scenario s, String message) {
        if (!ok) {
            throw new UserInputException(s.source() + ": " + message);
        }
    }
}
