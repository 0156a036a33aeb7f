package io.gpuq.scheduler.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gpuq.scheduler.sim.scenario.ScenarioLoader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.StringWriter;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The output document's shape, key names and number format against DESIGN §7. */
class ResultJsonWriterTest {
    private static String text;
    private static JsonNode doc;

    @BeforeAll
    static void simulateATinyScenario() throws Exception {
        SimulationResult r = new Simulator(new FirstFitEngine()).run(ScenarioLoader.parse(
                "nodes: [{name: n, gpus: 2, gpuModel: H100, capacityType: spot}]\n"
                        + "departments: [{name: ml}]\n"
                        + "projects: [{name: p, department: ml, deservedGpus: 1}, {name: q, deservedGpus: 1}]\n"
                        + "prices: [{gpuModel: H100, capacityType: spot, perGpuHour: 1.69}]\n"
                        + "workloads:\n"
                        + "  - {name: whole, project: p, gpusPerPod: 1, durationSeconds: 60}\n"
                        + "  - {name: third, project: q, gpuFraction: 0.333, durationSeconds: 3600}\n"
                        + "  - {name: waiting, project: p, gpusPerPod: 2}\n"
                        + "observeAt: [0, 120]\n", "tiny.yaml"));
        StringWriter w = new StringWriter();
        ResultJsonWriter.write(r, w);
        text = w.toString();
        doc = new ObjectMapper().readTree(text);
    }

    private static List<String> keys(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }

    @Test
    void topLevelHasTheFourSectionsInOrder() {
        assertThat(keys(doc)).containsExactly("snapshots", "workloads", "events", "cost");
    }

    @Test
    void snapshotsCarryQueuesPerPoolAndWorkloads() {
        JsonNode s = doc.get("snapshots").get(0);
        assertThat(keys(s)).containsExactly("time", "projects", "departments", "workloads");
        assertThat(s.get("time").asLong()).isZero();
        assertThat(keys(s.get("projects"))).containsExactly("p", "q");
        assertThat(keys(s.get("departments"))).containsExactly("ml", "default");
        JsonNode p = s.get("projects").get("p");
        assertThat(keys(p)).containsExactly("deservedGpus", "fairShareGpus", "allocatedGpus",
                "allocatedNonPreemptibleGpus", "pendingGpus", "pendingWorkloads", "pools");
        assertThat(keys(p.get("pools"))).containsExactly("default");
        assertThat(keys(p.get("pools").get("default"))).containsExactly("deservedGpus", "fairShareGpus",
                "allocatedGpus");
        assertThat(p.get("pendingWorkloads").isIntegralNumber()).isTrue();
        assertThat(p.get("pendingWorkloads").asInt()).isEqualTo(1);
        assertThat(p.get("allocatedGpus").decimalValue()).isEqualByComparingTo("1");

        JsonNode views = s.get("workloads");
        assertThat(keys(views)).containsExactly("whole", "third", "waiting");
        assertThat(keys(views.get("whole"))).containsExactly("state", "placement");
        assertThat(views.get("whole").get("state").asText()).isEqualTo("Running");
        assertThat(views.get("waiting").get("state").asText()).isEqualTo("Pending");
        assertThat(views.get("waiting").get("placement").isArray()).isTrue();
        assertThat(views.get("waiting").get("placement")).isEmpty();
        assertThat(doc.get("snapshots").get(1).get("workloads").get("whole").get("state").asText())
                .isEqualTo("Completed");
    }

    @Test
    void workloadsListTheEndStateWithPlacementDevicesAndFractions() {
        JsonNode whole = doc.get("workloads").get(0);
        assertThat(keys(whole)).containsExactly("name", "project", "state", "submittedAt", "startedAt",
                "waitSeconds", "evictions", "reason", "placement");
        assertThat(whole.get("name").asText()).isEqualTo("whole");
        assertThat(whole.get("project").asText()).isEqualTo("p");
        assertThat(whole.get("state").asText()).isEqualTo("Completed");
        assertThat(whole.get("reason").isNull()).isTrue();
        JsonNode pod = whole.get("placement").get(0);
        assertThat(keys(pod)).containsExactly("pod", "node", "devices");
        assertThat(pod.get("pod").asText()).isEqualTo("whole-0");
        assertThat(pod.get("node").asText()).isEqualTo("n");
        assertThat(keys(pod.get("devices").get(0))).containsExactly("index", "fraction");
        assertThat(pod.get("devices").get(0).get("index").asInt()).isZero();

        JsonNode waiting = doc.get("workloads").get(2);
        assertThat(waiting.get("state").asText()).isEqualTo("Pending");
        assertThat(waiting.get("startedAt").isNull()).isTrue();
        assertThat(waiting.get("waitSeconds").asLong()).isEqualTo(120);
        assertThat(waiting.get("evictions").asInt()).isZero();
        assertThat(waiting.get("reason").asText()).startsWith("NoRoomInPool: ");
    }

    @Test
    void eventsHaveTimeTypeWorkloadAndDetails() {
        JsonNode first = doc.get("events").get(0);
        assertThat(keys(first)).containsExactly("time", "type", "workload", "details");
        List<String> types = new ArrayList<>();
        doc.get("events").forEach(e -> types.add(e.get("time").asLong() + " " + e.get("type").asText() + " "
                + e.get("workload").asText()));
        assertThat(types).containsExactly("0 Submitted whole", "0 Submitted third", "0 Submitted waiting",
                "0 Started whole", "0 Started third", "60 Completed whole");
    }

    @Test
    void costIsPerProjectWithHoursAmountAndCurrency() {
        JsonNode cost = doc.get("cost");
        assertThat(keys(cost)).containsExactly("p", "q");
        assertThat(keys(cost.get("p"))).containsExactly("gpuHours", "amount", "currency");
        assertThat(cost.get("p").get("gpuHours").decimalValue()).as("1 GPU × 60 s").isEqualByComparingTo("0.016667");
        assertThat(cost.get("p").get("amount").decimalValue()).isEqualByComparingTo("0.028167");
        assertThat(cost.get("q").get("gpuHours").decimalValue()).as("0.333 GPU × 120 s").isEqualByComparingTo("0.0111");
        assertThat(cost.get("q").get("currency").asText()).isEqualTo("USD");
    }

    @Test
    void quantitiesAreDecimalsWithoutFloatNoise() {
        assertThat(text).contains("\"fraction\" : 1.0").contains("\"fraction\" : 0.333")
                .contains("\"allocatedGpus\" : 0.333").doesNotContain("E-").doesNotContain("0000000");
        assertThat(ResultJsonWriter.quantity(new BigDecimal("9"))).hasToString("9.0");
        assertThat(ResultJsonWriter.quantity(BigDecimal.valueOf(0.1 + 0.2))).hasToString("0.3");
        assertThat(ResultJsonWriter.quantity(BigDecimal.valueOf(1.0 / 3))).hasToString("0.333333");
        assertThat(ResultJsonWriter.quantity(new BigDecimal("0.00000001"))).hasToString("0.0");
    }
}
