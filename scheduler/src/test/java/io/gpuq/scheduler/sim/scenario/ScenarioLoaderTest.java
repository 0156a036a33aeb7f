package io.gpuq.scheduler.sim.scenario;

import io.gpuq.api.WorkloadType;
import io.gpuq.scheduler.engine.model.GpuDemand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScenarioLoaderTest {

    private static final String CLUSTER = String.join("\n",
            "nodes:",
            "  - {name: h100, count: 2, gpus: 8, gpuModel: H100, gpuMemoryMiB: 81920, capacityType: spot}",
            "  - {name: infer, gpus: 4, cpuMillis: 32000, labels: {runai/node-pool: inference-pool}}",
            "departments:",
            "  - {name: ml, deservedGpus: 16, maxGpus: 24}",
            "projects:",
            "  - {name: team-training, department: ml, deservedGpus: 8, overQuotaWeight: 3}",
            "  - {name: team-inference, deservedGpus: 4, nodePools: [{name: inference-pool, deservedGpus: 4}]}",
            "");

    @Test
    void readsTheDesignExampleWithItsDefaults() {
        Scenario s = ScenarioLoader.parse(CLUSTER + String.join("\n",
                "cycleSeconds: 5",
                "prices: [{gpuModel: H100, capacityType: spot, perGpuHour: 1.69}]",
                "workloads:",
                "  - {name: fsdp, project: team-training, type: train, submitAt: 0, durationSeconds: 3600,",
                "     pods: 4, gpusPerPod: 8}",
                "  - {name: chat, project: team-inference, type: inference, gpuFraction: 0.5, pods: 2,",
                "     minMember: 1, nodePool: inference-pool}",
                "  - {name: notebook, project: team-training, type: build, priority: 150, node: h100-1,",
                "     gpuMemoryMiB: 20000}",
                "  - {name: etl, project: team-training, preemptible: false, cpuMillis: 500}",
                "observeAt: [600, 0, 60]",
                ""), "ok.yaml");

        assertThat(s.cycleSeconds()).isEqualTo(5);
        assertThat(s.observeAt()).containsExactly(0L, 60L, 600L);
        assertThat(s.nodes().get(0).nodeNames()).containsExactly("h100-0", "h100-1");
        assertThat(s.nodes().get(1).nodeNames()).containsExactly("infer");
        assertThat(s.nodes().get(0).cpuMillis()).as("absent cpuMillis does not constrain").isEqualTo(-1);
        assertThat(s.nodes().get(0).memoryMiB()).isEqualTo(-1);
        assertThat(s.nodes().get(1).cpuMillis()).isEqualTo(32000);
        assertThat(s.nodes().get(1).pool()).isEqualTo("inference-pool");
        assertThat(s.nodes().get(1).capacityType()).isEqualTo("on-demand");

        assertThat(s.projects().get(0).deservedByPool()).isEqualTo(Map.of("default", 8.0));
        assertThat(s.projects().get(0).maxGpus()).isEqualTo(-1);
        assertThat(s.projects().get(1).department()).isNull();
        assertThat(s.projects().get(1).deservedByPool()).isEqualTo(Map.of("inference-pool", 4.0));
        assertThat(s.departments().get(0).maxGpus()).isEqualTo(24);
        assertThat(s.prices().get(0).perGpuHour()).isEqualByComparingTo("1.69");
        assertThat(s.prices().get(0).currency()).isEqualTo("USD");

        WorkloadSpec fsdp = s.workloads().get(0);
        assertThat(fsdp.minMember()).as("minMember defaults to pods").isEqualTo(4);
        assertThat(fsdp.gpu()).isEqualTo(GpuDemand.whole(8));
        assertThat(fsdp.priority()).isEqualTo(50);
        assertThat(fsdp.preemptible()).isTrue();
        assertThat(fsdp.durationSeconds()).isEqualTo(3600);

        WorkloadSpec chat = s.workloads().get(1);
        assertThat(chat.gpu()).isEqualTo(GpuDemand.fraction(500, 1));
        assertThat(chat.minMember()).isEqualTo(1);
        assertThat(chat.nodePool()).isEqualTo("inference-pool");
        assertThat(chat.preemptible()).as("inference is 125, non-preemptible").isFalse();
        assertThat(chat.durationSeconds()).as("absent = runs until the end").isNull();

        WorkloadSpec notebook = s.workloads().get(2);
        assertThat(notebook.priority()).as("priority overrides the class value").isEqualTo(150);
        assertThat(notebook.preemptible()).as("150 >= 100 makes it non-preemptible").isFalse();
        assertThat(notebook.node()).isEqualTo("h100-1");
        assertThat(notebook.gpu()).isEqualTo(GpuDemand.memory(20000, 1));
        assertThat(notebook.podName(0)).isEqualTo("notebook-0");

        WorkloadSpec etl = s.workloads().get(3);
        assertThat(etl.type()).isEqualTo(WorkloadType.TRAIN);
        assertThat(etl.priority()).isEqualTo(50);
        assertThat(etl.preemptible()).as("explicit preemptible overrides the < 100 rule").isFalse();
        assertThat(etl.gpu().kind()).isEqualTo(GpuDemand.Kind.NONE);
        assertThat(etl.submitAt()).isZero();
    }

    @Test
    void acceptsZeroPriorityZeroMaxGpusAndADepartmentDeservedBelowItsProjects() {
        Scenario s = ScenarioLoader.parse(String.join("\n",
                "nodes: [{name: n, gpus: 2}]",
                "departments: [{name: d, deservedGpus: 1}]",
                "projects:",
                "  - {name: a, department: d, deservedGpus: 2, maxGpus: 0}",
                "  - {name: b, department: d, deservedGpus: 2, maxGpus: -1}",
                "workloads: [{name: w, project: a, priority: 0}]",
                ""), "edge.yaml");
        assertThat(s.projects().get(0).maxGpus()).isZero();
        assertThat(s.projects().get(1).maxGpus()).isEqualTo(-1);
        assertThat(s.departments().get(0).deservedGpus()).isEqualTo(1.0);
        assertThat(s.workloads().get(0).priority()).isZero();
        assertThat(s.workloads().get(0).preemptible()).isTrue();
    }

    @Test
    void unknownTopLevelKeyNamesLineKeyAndAllowedKeys() {
        assertError(CLUSTER + "observe: [0]\n", "bad.yaml:9:1: observe: unknown key 'observe'",
                "allowed keys: cycleSeconds, nodes, departments, projects, prices, workloads, observeAt");
    }

    @Test
    void unknownWorkloadKeySuggestsTheIntendedOne() {
        assertError(CLUSTER + "workloads:\n  - {name: w, project: team-training, gpuPerPod: 2}\n",
                "bad.yaml:10:39: workloads[0].gpuPerPod: unknown key 'gpuPerPod' (did you mean 'gpusPerPod'?)",
                "allowed keys: name, project, type");
    }

    @Test
    void unknownProjectReferenceListsTheKnownOnes() {
        assertError(CLUSTER + "workloads:\n  - {name: w, project: team-trainin}\n",
                "bad.yaml:10:24: workloads[0].project: unknown project 'team-trainin' (did you mean 'team-training'?)",
                "known projects: team-training, team-inference");
    }

    @Test
    void unknownDepartmentReference() {
        assertError("nodes: [{name: n, gpus: 1}]\nprojects:\n  - {name: p, department: finance}\n",
                "bad.yaml:3:27: projects[0].department: unknown department 'finance'",
                "known departments: none");
    }

    @Test
    void unknownPoolInProjectNodePools() {
        assertError("nodes: [{name: n, gpus: 1}]\nprojects:\n"
                        + "  - {name: p, nodePools: [{name: inference, deservedGpus: 1}]}\n",
                "bad.yaml:3:34: projects[0].nodePools[0].name: no node is in pool 'inference'",
                "pools with nodes: default");
    }

    @Test
    void workloadPoolTheProjectMayNotUse() {
        assertError(CLUSTER + "workloads:\n  - {name: w, project: team-training, nodePool: inference-pool}\n",
                "workloads[0].nodePool: project team-training may not use pool 'inference-pool'",
                "its pools: default");
    }

    @Test
    void pinnedNodeMustExistAndBeInAUsablePool() {
        assertError(CLUSTER + "workloads:\n  - {name: w, project: team-training, node: h100-7}\n",
                "workloads[0].node: unknown node 'h100-7'", "known nodes: h100-0, h100-1, infer");
        assertError(CLUSTER + "workloads:\n  - {name: w, project: team-training, node: infer}\n",
                "workloads[0].node: node infer is in pool 'inference-pool'", "allowed pools: default");
    }

    @Test
    void negativeQuotaIsRejectedButMinusOneMeansEverything() {
        assertError("nodes: [{name: n, gpus: 1}]\nprojects:\n  - {name: p, deservedGpus: -2}\n",
                "bad.yaml:3:29: projects[0].deservedGpus: -2 is negative",
                "deservedGpus must be >= 0 (fractions allowed), or -1 for everything");
        assertError("nodes: [{name: n, gpus: 1}]\nprojects:\n  - {name: p, maxGpus: -0.5}\n",
                "projects[0].maxGpus: -0.5 is negative", "0 = no GPUs at all");
        assertError("nodes: [{name: n, gpus: 1}]\ndepartments: [{name: d, deservedGpus: -3}]\nprojects: [{name: p}]\n",
                "departments[0].deservedGpus: -3 is negative", "-1 for everything");
        assertThat(ScenarioLoader.parse("nodes: [{name: n, gpus: 1}]\nprojects: [{name: p, deservedGpus: -1}]\n",
                "ok.yaml").projects().get(0).deservedGpus()).isEqualTo(-1);
    }

    @Test
    void fractionMustBeStrictlyBetweenZeroAndOne() {
        String prefix = CLUSTER + "workloads:\n  - {name: w, project: team-training, gpuFraction: ";
        assertError(prefix + "1.5}\n", "bad.yaml:10:52: workloads[0].gpuFraction: 1.5 is out of range",
                "a fraction must be > 0 and < 1 (use gpusPerPod for whole GPUs)");
        assertError(prefix + "1}\n", "workloads[0].gpuFraction: 1 is out of range", "> 0 and < 1");
        assertError(prefix + "0}\n", "workloads[0].gpuFraction: 0 is out of range", "> 0 and < 1");
        assertError(prefix + "-0.25}\n", "workloads[0].gpuFraction: -0.25 is out of range", "> 0 and < 1");
        assertError(prefix + "0.0001}\n", "workloads[0].gpuFraction: 0.0001 rounds to 0.0", "> 0 and < 1");
    }

    @Test
    void onlyOneGpuFormPerWorkload() {
        assertError(CLUSTER + "workloads:\n  - {name: w, project: team-training, gpusPerPod: 1, gpuFraction: 0.5}\n",
                "workloads[0].gpuFraction: only one of gpusPerPod, gpuFraction, gpuMemoryMiB may be given, "
                        + "found gpusPerPod and gpuFraction",
                "or none for a CPU-only workload");
    }

    @Test
    void unknownWorkloadTypeListsTheTypes() {
        assertError(CLUSTER + "workloads:\n  - {name: w, project: team-training, type: batch}\n",
                "bad.yaml:10:45: workloads[0].type: unknown workload type 'batch'",
                "allowed: inference, interactive, interactive-preemptible, train, build");
    }

    @Test
    void duplicateNamesAreRejectedIncludingCountedNodes() {
        assertError(CLUSTER + "workloads:\n  - {name: w, project: team-training}\n  - {name: w, project: team-training}\n",
                "bad.yaml:11:12: workloads[1].name: duplicate workload name 'w'", "names must be unique");
        assertError("nodes:\n  - {name: gpu, count: 2, gpus: 1}\n  - {name: gpu-1, gpus: 1}\nprojects: [{name: p}]\n",
                "bad.yaml:3:12: nodes[1].name: duplicate node name 'gpu-1'", "names must be unique");
        assertError("nodes: [{name: n, gpus: 1}]\nprojects: [{name: p}, {name: p}]\n",
                "projects[1].name: duplicate project name 'p'", "names must be unique");
    }

    @Test
    void duplicateYamlKeyIsRejected() {
        assertError("nodes: [{name: n, gpus: 1, gpus: 2}]\nprojects: [{name: p}]\n",
                "bad.yaml:1:28: nodes[0].gpus: duplicate key 'gpus'", "each key may appear once");
    }

    @Test
    void malformedYamlNamesTheLine() {
        assertError("nodes:\n  - {name: n, gpus: 1\nprojects: [{name: p}]\n",
                "bad.yaml:3:", "malformed YAML: ");
        assertError("nodes:\n\t- name: n\n", "bad.yaml:2:1: malformed YAML:", "TAB");
    }

    @Test
    void wrongValueTypesSayWhatWasFound() {
        assertError("nodes: [{name: n, gpus: eight}]\nprojects: [{name: p}]\n",
                "bad.yaml:1:25: nodes[0].gpus: expected a number, found the text 'eight'",
                "gpus is the number of GPU devices per node");
        assertError("nodes: [{name: n, gpus: 1.5}]\nprojects: [{name: p}]\n",
                "nodes[0].gpus: 1.5 is not a whole number", "a whole number >= 0");
        assertError("nodes: {name: n}\nprojects: [{name: p}]\n",
                "bad.yaml:1:8: nodes: expected a list, found a map", "");
        assertError(CLUSTER + "workloads:\n  - {name: w, project: team-training, preemptible: maybe}\n",
                "workloads[0].preemptible: expected true or false, found the text 'maybe'", "");
    }

    @Test
    void rangeChecksOnCountsAndTimes() {
        assertError(CLUSTER + "workloads:\n  - {name: w, project: team-training, pods: 2, minMember: 3}\n",
                "workloads[0].minMember: 3 is out of range", "between 1 and pods (2)");
        assertError(CLUSTER + "workloads:\n  - {name: w, project: team-training, durationSeconds: 0}\n",
                "workloads[0].durationSeconds: 0 is out of range", "or left out to run until the end");
        assertError(CLUSTER + "cycleSeconds: 10\nobserveAt: [0, 15]\n",
                "bad.yaml:10:16: observeAt[1]: 15 is not a cycle time", "multiples of cycleSeconds (10)");
        assertError("nodes: [{name: n, gpus: 1}]\nprojects: [{name: p, overQuotaWeight: -1}]\n",
                "projects[0].overQuotaWeight: -1 is negative", "overQuotaWeight must be >= 0");
    }

    @Test
    void nodePoolQuotasMustAgreeWithAProjectTotal() {
        assertError("nodes: [{name: n, gpus: 4, labels: {runai/node-pool: a}}]\n"
                        + "projects: [{name: p, deservedGpus: 6, nodePools: [{name: a, deservedGpus: 4}]}]\n",
                "projects[0].deservedGpus: is 6 but the project's nodePools add up to 4",
                "make them agree or leave deservedGpus out");
    }

    @Test
    void projectWithoutPoolsNeedsDefaultPoolNodes() {
        assertError("nodes: [{name: n, gpus: 4, labels: {runai/node-pool: a}}]\nprojects: [{name: p}]\n",
                "projects[0].nodePools: project uses the default pool, but every node is in a named pool (a)",
                "list the pools it may use under nodePools");
    }

    @Test
    void pricesAreUniquePerModelAndCapacityTypeAndShareACurrency() {
        assertError(CLUSTER + "prices:\n  - {gpuModel: H100, perGpuHour: 4}\n  - {gpuModel: H100, perGpuHour: 5}\n",
                "prices[1].gpuModel: a second price for H100 on-demand", "list each gpuModel and capacityType pair once");
        assertError(CLUSTER + "prices:\n  - {gpuModel: H100, perGpuHour: 4}\n"
                        + "  - {gpuModel: A100, perGpuHour: 2, currency: EUR}\n",
                "prices[1].currency: 'EUR' differs from the earlier prices' 'USD'", "one currency");
        assertError(CLUSTER + "prices:\n  - {gpuModel: H100, perGpuHour: -1}\n",
                "prices[0].perGpuHour: -1 is negative", "a price must be >= 0");
    }

    @Test
    void missingRequiredSections() {
        assertError("projects: [{name: p}]\n", "bad.yaml:1:1: nodes: missing or empty", "list at least one node");
        assertError("nodes: [{name: n, gpus: 1}]\n", "projects: missing or empty", "list at least one project");
        assertError("nodes: [{name: n}]\nprojects: [{name: p}]\n", "nodes[0].gpus: missing",
                "gpus is the number of GPU devices per node");
    }

    @Test
    void badNamesAreRejectedWithTheRule() {
        assertError("nodes: [{name: n, gpus: 1}]\nprojects: [{name: Team_A}]\n",
                "projects[0].name: 'Team_A' is not a valid project name", "lowercase letters, digits, '-' and '.'");
    }

    @Test
    void loadNamesTheFileInEveryMessage(@TempDir Path dir) throws IOException {
        Path missing = dir.resolve("nope.yaml");
        assertThatThrownBy(() -> ScenarioLoader.load(missing))
                .isInstanceOf(ScenarioException.class)
                .hasMessage(missing + ": no such file");

        Path empty = Files.writeString(dir.resolve("empty.yaml"), "");
        assertThatThrownBy(() -> ScenarioLoader.load(empty))
                .hasMessageStartingWith(empty + ": the file is empty");

        assertThatThrownBy(() -> ScenarioLoader.load(dir))
                .hasMessage(dir + ": is a directory; give a scenario YAML file");

        Path twoDocs = Files.writeString(dir.resolve("two.yaml"), "nodes: []\n---\nprojects: []\n");
        assertThatThrownBy(() -> ScenarioLoader.load(twoDocs))
                .hasMessage(twoDocs + ":3:1: more than one YAML document; a scenario is a single document");

        Path bad = Files.writeString(dir.resolve("bad.yaml"), CLUSTER + "workloads:\n  - {name: w, project: x}\n");
        assertThatThrownBy(() -> ScenarioLoader.load(bad))
                .hasMessageStartingWith(bad + ":10:24: workloads[0].project: unknown project 'x'");

        Path binary = Files.write(dir.resolve("bin.yaml"), new byte[] {(byte) 0xff, (byte) 0xfe, 0x00, 0x41});
        assertThatThrownBy(() -> ScenarioLoader.load(binary))
                .hasMessage(binary + ": not UTF-8 text; a scenario is a YAML file");
    }

    @Test
    void everyMessageIsOneLine() {
        List<String> broken = List.of("nodes: [", "a: [b, c\n  d: e\n", "nodes:\n  - {name: n, gpus: 1}\n  x\n");
        for (String text : broken) {
            assertThatThrownBy(() -> ScenarioLoader.parse(text, "b.yaml"))
                    .isInstanceOf(ScenarioException.class)
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").startsWith("b.yaml:"));
        }
    }

    private static void assertError(String yaml, String expectedStart, String expectedAllowed) {
        assertThatThrownBy(() -> ScenarioLoader.parse(yaml, "bad.yaml"))
                .isInstanceOf(ScenarioException.class)
                .satisfies(e -> {
                    assertThat(e.getMessage()).contains(expectedStart);
                    assertThat(e.getMessage()).contains(expectedAllowed);
                    assertThat(e.getMessage()).doesNotContain("\n");
                });
    }
}
