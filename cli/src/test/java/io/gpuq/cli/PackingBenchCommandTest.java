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

class PackingBenchCommandTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream originalOut;
    private PrintStream originalErr;

    @TempDir
    Path dir;

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

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private Path write(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content);
        return p;
    }

    /** Four nodes with 2 or 4 GPUs and a mix of shares, whole GPUs, CPU-only and model-bound pods. */
    private Path[] syntheticTrace() throws IOException {
        Path nodes = write("nodes.csv", "sn,cpu_milli,memory_mib,gpu,model\n"
                + "n0,32000,131072,2,T4\nn1,32000,131072,2,T4\nn2,64000,262144,4,V100M32\nn3,64000,262144,4,V100M32\n");
        StringBuilder pods = new StringBuilder("name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos\n");
        String[] shapes = {"1,500,", "1,250,", "1,1000,", "2,1000,", "0,0,", "1,700,T4", "1,300,V100M32"};
        for (int i = 0; i < 21; i++) {
            pods.append("p").append(i).append(",2000,4096,").append(shapes[i % shapes.length]).append(",LS\n");
        }
        return new Path[] {nodes, write("openb_pod_list_tiny.csv", pods.toString())};
    }

    private static List<String> keys(JsonNode n) {
        List<String> k = new ArrayList<>();
        n.fieldNames().forEachRemaining(k::add);
        return k;
    }

    @Test
    void printsTheReportForEveryPolicy() throws IOException {
        Path[] t = syntheticTrace();
        int code = Main.run("packing-bench", "--nodes", t[0].toString(), "--pods", t[1].toString(),
                "--policy", "all", "--seeds", "1-3");

        assertThat(code).as(stderr()).isZero();
        assertThat(stderr()).isEmpty();
        JsonNode doc = new ObjectMapper().readTree(stdout());
        assertThat(keys(doc)).containsExactly("trace", "nodes", "gpus", "policies");
        assertThat(doc.get("trace").asText()).isEqualTo("openb_pod_list_tiny");
        assertThat(doc.get("nodes").asInt()).isEqualTo(4);
        assertThat(doc.get("gpus").asInt()).isEqualTo(12);
        assertThat(doc.get("policies")).hasSize(3);
        List<String> names = new ArrayList<>();
        for (JsonNode p : doc.get("policies")) {
            names.add(p.get("policy").asText());
            assertThat(keys(p)).containsExactly("policy", "unallocatedPctAtArrived100", "perSeed", "curve");
            assertThat(p.get("perSeed")).hasSize(3);
            double median = p.get("unallocatedPctAtArrived100").asDouble();
            assertThat(median).isBetween(0.0, 100.0);
            List<Double> perSeed = new ArrayList<>();
            p.get("perSeed").forEach(v -> perSeed.add(v.asDouble()));
            assertThat(median).as("median of the seeds").isIn(perSeed);
            assertThat(p.get("curve")).isNotEmpty();
            int previous = -1;
            for (JsonNode c : p.get("curve")) {
                assertThat(keys(c)).containsExactly("arrivedPct", "unallocatedPct");
                assertThat(c.get("arrivedPct").asInt() % 5).isZero();
                assertThat(c.get("arrivedPct").asInt()).isGreaterThan(previous).isLessThanOrEqualTo(130);
                previous = c.get("arrivedPct").asInt();
            }
        }
        assertThat(names).containsExactly("default", "binpack", "spread");
    }

    @Test
    void theDefaultsAreTheDefaultPolicyAndTenSeeds() throws IOException {
        Path[] t = syntheticTrace();
        int code = Main.run("packing-bench", "--nodes", t[0].toString(), "--pods", t[1].toString());

        assertThat(code).as(stderr()).isZero();
        JsonNode doc = new ObjectMapper().readTree(stdout());
        assertThat(doc.get("policies")).singleElement()
                .satisfies(p -> assertThat(p.get("policy").asText()).isEqualTo("default"))
                .satisfies(p -> assertThat(p.get("perSeed")).hasSize(10));
    }

    @Test
    void aBadTraceLineIsOneErrorLineWithExitCode2() throws IOException {
        Path[] t = syntheticTrace();
        Path pods = write("bad.csv", "name,cpu_milli,memory_mib,num_gpu,gpu_milli\np0,1000,100,1,500\np1,1000,x,1,500\n");
        int code = Main.run("packing-bench", "--nodes", t[0].toString(), "--pods", pods.toString());

        assertThat(code).isEqualTo(2);
        assertThat(stdout()).isEmpty();
        assertThat(stderr()).isEqualTo("gpuq: " + pods + ":3: column 'memory_mib': 'x' is not a number; "
                + "a whole number >= 0 is required" + System.lineSeparator());
    }

    @Test
    void aMissingFileIsAUserError() throws IOException {
        Path[] t = syntheticTrace();
        Path missing = dir.resolve("nope.csv");
        int code = Main.run("packing-bench", "--nodes", missing.toString(), "--pods", t[1].toString());

        assertThat(code).isEqualTo(2);
        assertThat(stderr()).isEqualTo("gpuq: cannot read " + missing + ": no such file" + System.lineSeparator());
    }

    @Test
    void badOptionsNameWhatIsAllowed() throws IOException {
        Path[] t = syntheticTrace();
        assertThat(Main.run("packing-bench", "--nodes", t[0].toString(), "--pods", t[1].toString(),
                "--policy", "random")).isEqualTo(2);
        assertThat(stderr()).contains("--policy: unknown policy 'random'; allowed: default, binpack, spread, all");
        err.reset();
        assertThat(Main.run("packing-bench", "--nodes", t[0].toString(), "--pods", t[1].toString(),
                "--seeds", "9-1")).isEqualTo(2);
        assertThat(stderr()).contains("--seeds: invalid seeds '9-1'");
        err.reset();
        assertThat(Main.run("packing-bench", "--nodes", t[0].toString(), "--pods", t[1].toString(),
                "--tune", "0")).isEqualTo(2);
        assertThat(stderr()).isEqualTo("gpuq: --tune must be > 0 and <= 10, was 0.0" + System.lineSeparator());
    }
}
