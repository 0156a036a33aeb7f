package io.gpuq.cli.demo;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code gpuq demo} as a user runs it: its own JVM, started in a directory of the test's choosing
 * (where it writes {@code .gpuq/demo}), stdout and stderr captured to files (a pipe, so no ANSI), and
 * stopped with SIGTERM as Ctrl-C stops it.
 */
final class DemoProcess implements AutoCloseable {
    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private DemoProcess(Process process, Path stdout, Path stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    static DemoProcess start(Path workingDirectory, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), "io.gpuq.cli.Main", "demo"));
        command.addAll(List.of(args));
        Path out = workingDirectory.resolve("stdout.txt");
        Path err = workingDirectory.resolve("stderr.txt");
        Process p = new ProcessBuilder(command).directory(workingDirectory.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        return new DemoProcess(p, out, err);
    }

    /** Waits for the process to end by itself; its exit code. */
    int waitFor(Duration limit) throws InterruptedException {
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("gpuq demo did not end within " + limit.toSeconds() + " s; stdout:\n" + stdout()
                    + "\nstderr:\n" + stderr());
        }
        return process.exitValue();
    }

    /** SIGTERM, as Ctrl-C or a container runtime sends it; the exit code once it has stopped. */
    int terminate(Duration limit) throws InterruptedException {
        process.destroy();
        return waitFor(limit);
    }

    boolean alive() {
        return process.isAlive();
    }

    String stdout() {
        return read(stdout);
    }

    String stderr() {
        return read(stderr);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }

    /** Three ports free right now on the loopback interface. */
    static int[] freePorts() throws IOException {
        int[] ports = new int[3];
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (int i = 0; i < ports.length; i++) {
                ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
                held.add(s);
                ports[i] = s.getLocalPort();
            }
        } finally {
            for (ServerSocket s : held) {
                s.close();
            }
        }
        return ports;
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
