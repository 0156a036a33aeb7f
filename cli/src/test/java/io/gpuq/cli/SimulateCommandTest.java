package io.gpuq.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SimulateCommandTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream originalOut;
    private PrintStream originalErr;

    @BeforeEach
    void capture() {
        originalOut = System.out;
        originalErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(originalOut);
        System.setErr(originalErr);
    }

    private static String example(String file) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("examples").resolve(file);
            if (Files.isRegularFile(candidate)) {
                return candidate.toString();
            }
        }
        throw new IllegalStateException("examples/" + file + " not found");
    }

    private static List<String> keys(JsonNode n) {
        List<String> k = new ArrayList<>();
        n.fieldNames().forEachRemaining(k::add);
        return k;
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void writesTheResultDocumentToOut(@TempDir Path dir) throws IOException {
        Path result = dir.resolve("result.json");
        int code = Main.run("simulate", example("seed-16gpu.yaml"), "--out", result.toString());

        assertThat(code).as(stderr()).isZero();
        assertThat(stderr()).isEmpty();
        assertThat(out.size()).as("nothing on stdout with --out").isZero();
        JsonNode doc = new ObjectMapper().readTree(result.toFile());
        assertThat(keys(doc)).containsExactly("snapshots", "workloads", "events", "cost");
        assertThat(doc.get("snapshots")).extracting(s -> s.get("time").asLong())
                .containsExactly(30L, 60L, 120L, 180L, 240L);
        JsonNode training = doc.get("snapshots").get(0).get("projects").get("team-training");
        assertThat(keys(training)).containsExactly("deservedGpus", "fairShareGpus", "allocatedGpus",
                "allocatedNonPreemptibleGpus", "pendingGpus", "pendingWorkloads", "pools");
        assertThat(training.get("allocatedGpus").asDouble()).isEqualTo(16.0);
        JsonNode last = doc.get("snapshots").get(4).get("projects");
        assertThat(last.get("team-training").get("fairShareGpus").asDouble()).isEqualTo(9.0);
        assertThat(last.get("team-inference").get("fairShareGpus").asDouble()).isEqualTo(5.0);
        assertThat(last.get("team-research").get("fairShareGpus").asDouble()).isEqualTo(2.0);
        assertThat(keys(doc.get("workloads").get(0))).containsExactly("name", "project", "state", "submittedAt",
                "startedAt", "waitSeconds", "evictions", "reason", "placement");
        assertThat(keys(doc.get("events").get(0))).containsExactly("time", "type", "workload", "details");
        assertThat(keys(doc.get("cost").get("team-training"))).containsExactly("gpuHours", "amount", "currency");
        assertThat(doc.get("cost").get("team-training").get("currency").asText()).isEqualTo("USD");
    }

    @Test
    void withoutOutTheDocumentGoesToStdout() throws IOException {
        int code = Main.run("simulate", example("gang-training.yaml"));

        assertThat(code).as(stderr()).isZero();
        JsonNode doc = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
        assertThat(doc.get("cost").get("team-training").get("amount").decimalValue()).isEqualByComparingTo("160");
    }

    @Test
    void aMissingFileIsOneLineAndExitCode2(@TempDir Path dir) {
        Path missing = dir.resolve("missing.yaml");
        int code = Main.run("simulate", missing.toString());

        assertThat(code).isEqualTo(2);
        assertThat(stderr()).isEqualTo("gpuq: " + missing + ": no such file" + System.lineSeparator());
        assertThat(out.size()).isZero();
    }

    @Test
    void malformedYamlIsOneLineWithTheLineNumber(@TempDir Path dir) throws IOException {
        Path bad = Files.writeString(dir.resolve("bad.yaml"), "nodes:\n  - {name: n, gpus: 1\nprojects: []\n");
        int code = Main.run("simulate", bad.toString());

        assertThat(code).isEqualTo(2);
        assertThat(stderr().lines().toList()).hasSize(1);
        assertThat(stderr()).startsWith("gpuq: " + bad + ":3:").contains("malformed YAML");
    }

    @Test
    void invalidContentNamesTheFieldAndWhatIsAllowed(@TempDir Path dir) throws IOException {
        Path bad = Files.writeString(dir.resolve("frac.yaml"), "nodes: [{name: n, gpus: 1}]\n"
                + "projects: [{name: p}]\n"
                + "workloads: [{name: w, project: p, gpuFraction: 1.5}]\n");
        int code = Main.run("simulate", bad.toString());

        assertThat(code).isEqualTo(2);
        assertThat(stderr().lines().toList()).containsExactly("gpuq: " + bad
                + ":3:48: workloads[0].gpuFraction: 1.5 is out of range; a fraction must be > 0 and < 1 "
                + "(use gpusPerPod for whole GPUs)");
    }

    @Test
    void aScenarioThatNeverDrainsIsAUserError(@TempDir Path dir) throws IOException {
        Path forever = Files.writeString(dir.resolve("forever.yaml"), "nodes: [{name: n, gpus: 1}]\n"
                + "projects: [{name: p}]\nworkloads: [{name: endpoint, project: p, gpusPerPod: 1}]\n");
        int code = Main.run("simulate", forever.toString());

        assertThat(code).isEqualTo(2);
        assertThat(stderr().lines().toList()).hasSize(1);
        assertThat(stderr()).contains("the run never drains").contains("add observeAt");
    }

    @Test
    void anUnwritableOutIsOneLineAndExitCode2(@TempDir Path dir) {
        Path nowhere = dir.resolve("no-such-dir").resolve("result.json");
        int code = Main.run("simulate", example("gang-training.yaml"), "--out", nowhere.toString());

        assertThat(code).isEqualTo(2);
        assertThat(stderr()).isEqualTo("gpuq: cannot write " + nowhere + ": its directory does not exist"
                + System.lineSeparator());
    }
}
