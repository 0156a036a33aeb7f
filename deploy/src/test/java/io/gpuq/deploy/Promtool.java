package io.gpuq.deploy;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Debian's prometheus package tools, run as processes; tests that need one are skipped, saying why, without it. */
final class Promtool {

    /** What a finished command printed and returned. */
    record Result(int exitCode, String output) {
    }

    private Promtool() {
    }

    /** The tool on the PATH, if installed. */
    static Optional<Path> find(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path candidate = Path.of(dir, tool);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    static String missing(String tool) {
        return tool + " is not installed (Debian: apt-get install -y prometheus; .ci/run installs it); "
                + "this test needs the real " + tool;
    }

    /** The tool, or the calling test is skipped with the reason. */
    static Path require(String tool) {
        Optional<Path> found = find(tool);
        Assumptions.assumeTrue(found.isPresent(), () -> missing(tool));
        return found.orElseThrow();
    }

    static Result run(Path workDir, String tool, String... args) {
        List<String> command = new ArrayList<>();
        command.add(require(tool).toString());
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish in 120 s");
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + command, e);
        }
    }
}
