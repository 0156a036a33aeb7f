package io.gpuq.cli.demo;

import io.gpuq.cli.Main;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code gpuq demo} refuses what it cannot run in one line with exit code 2, before it starts or
 * writes anything.
 */
class DemoCommandTest {
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream originalErr;
    private boolean stateDirExisted;

    @BeforeEach
    void capture() {
        originalErr = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        stateDirExisted = Files.exists(Path.of(".gpuq"));
    }

    @AfterEach
    void restore() {
        System.setErr(originalErr);
        assertThat(Files.exists(Path.of(".gpuq"))).as("nothing written").isEqualTo(stateDirExisted);
    }

    private String stderr() {
        String s = err.toString(StandardCharsets.UTF_8);
        err.reset();
        return s;
    }

    @Test
    void speedAndPortsAreChecked() {
        assertThat(Main.run("demo", "--speed", "0")).isEqualTo(2);
        assertThat(stderr()).isEqualTo("gpuq: --speed must be between 0.1 and 1000 (scenario seconds per wall second), "
                + "not 0" + System.lineSeparator());
        assertThat(Main.run("demo", "--speed", "5000")).isEqualTo(2);
        assertThat(stderr()).contains("--speed must be between 0.1 and 1000");
        assertThat(Main.run("demo", "--metrics-port", "70000")).isEqualTo(2);
        assertThat(stderr()).contains("--metrics-port must be between 1 and 65535, not 70000");
        assertThat(Main.run("demo", "--api-port", "18443")).isEqualTo(2);
        assertThat(stderr()).contains("--api-port, --webhook-port and --metrics-port must differ; got 18443, 18443 and 19090");
    }

    @Test
    void aScenarioThatCannotBeReadOrCannotBeAClusterIsNamed(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("missing.yaml");
        assertThat(Main.run("demo", "--scenario", missing.toString())).isEqualTo(2);
        assertThat(stderr()).isEqualTo("gpuq: " + missing + ": no such file" + System.lineSeparator());

        Path badName = Files.writeString(dir.resolve("bad-name.yaml"), """
                nodes: [{name: n, gpus: 8}]
                projects: [{name: team.a, deservedGpus: 8}]
                workloads: []
                """);
        assertThat(Main.run("demo", "--scenario", badName.toString())).isEqualTo(2);
        assertThat(stderr()).isEqualTo("gpuq: " + badName + ": project 'team.a' becomes a namespace, so its name must be "
                + "at most 63 lowercase letters, digits and '-', starting and ending with a letter or digit"
                + System.lineSeparator());

        Path broken = Files.writeString(dir.resolve("broken.yaml"), "nodes: [{name: n, gpus: -1}]\n");
        assertThat(Main.run("demo", "--scenario", broken.toString())).isEqualTo(2);
        assertThat(stderr()).startsWith("gpuq: " + broken).doesNotContain("Exception");
    }

    @Test
    void aPortInUseIsOneLine() throws Exception {
        int[] free = DemoProcess.freePorts();
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            assertThat(Main.run("demo", "--api-port", Integer.toString(free[0]), "--webhook-port", Integer.toString(free[1]),
                    "--metrics-port", Integer.toString(port))).isEqualTo(2);
            String message = stderr();
            assertThat(message).isEqualTo("gpuq: port " + port + " (--metrics-port) is already in use on 127.0.0.1; "
                    + "is another gpuq demo running? Stop it, or choose free ports with --api-port, --webhook-port and "
                    + "--metrics-port" + System.lineSeparator());
        }
    }
}
