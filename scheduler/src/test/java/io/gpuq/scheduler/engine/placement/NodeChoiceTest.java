package io.gpuq.scheduler.engine.placement;

import io.gpuq.scheduler.engine.model.DeviceShare;
import io.gpuq.scheduler.engine.model.GpuDemand;
import io.gpuq.scheduler.engine.model.PodAllocation;
import io.gpuq.scheduler.engine.model.PodRequest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static io.gpuq.scheduler.engine.placement.Fixtures.copies;
import static io.gpuq.scheduler.engine.placement.Fixtures.fraction;
import static io.gpuq.scheduler.engine.placement.Fixtures.modelNode;
import static io.gpuq.scheduler.engine.placement.Fixtures.node;
import static io.gpuq.scheduler.engine.placement.Fixtures.onModel;
import static io.gpuq.scheduler.engine.placement.Fixtures.placeAndApply;
import static io.gpuq.scheduler.engine.placement.Fixtures.whole;
import static org.assertj.core.api.Assertions.assertThat;

/** Which node each policy picks. */
class NodeChoiceTest {
    private static void use(NodeState n, int device, int milli) {
        n.apply(new PodAllocation("used-" + device, n.name(), List.of(new DeviceShare(device, milli)), 0, 0));
    }

    @Test
    void binpackTakesTheFullestNodeAndSpreadTheEmptiest() {
        NodeState empty = node("empty", 4);
        NodeState half = node("half", 4);
        use(half, 0, 1000);
        use(half, 1, 1000);
        NodeState full = node("full", 4);
        for (int d = 0; d < 4; d++) {
            use(full, d, 1000);
        }
        List<NodeState> nodes = List.of(empty, half, full);

        assertThat(PlacementPolicies.create("binpack", List.of()).place(whole("w", 1), nodes).node()).isEqualTo("half");
        assertThat(PlacementPolicies.create("spread", List.of()).place(whole("w", 1), nodes).node()).isEqualTo("empty");
    }

    @Test
    void binpackBreaksGpuTiesOnCpu() {
        NodeState idle = node("idle", 2);
        NodeState busy = node("busy", 2);
        busy.reserveForeign(32_000, 0);

        assertThat(PlacementPolicies.create("binpack", List.of()).place(whole("w", 1), List.of(idle, busy)).node())
                .isEqualTo("busy");
    }

    @Test
    void defaultFillsAPartlyUsedDeviceRatherThanOpeningAFreshNode() {
        NodeState fresh = node("fresh", 8);
        NodeState started = node("started", 8);
        use(started, 0, 500);
        List<PodRequest> demand = new ArrayList<>(copies(whole("w", 8), 5));
        demand.addAll(copies(fraction("s", 500), 5));
        PlacementPolicy p = PlacementPolicies.create("default", demand);

        PodAllocation a = p.place(fraction("s", 500), List.of(fresh, started));
        assertThat(a.node()).isEqualTo("started");
        assertThat(a.devices()).containsExactly(new DeviceShare(0, 500));
    }

    @Test
    void defaultKeepsWholeNodesFreeForLargePods() {
        NodeState eight = node("eight", 8);
        NodeState two = node("two", 2);
        List<PodRequest> demand = new ArrayList<>(copies(whole("big", 8), 3));
        demand.addAll(copies(whole("one", 1), 3));
        PlacementPolicy p = PlacementPolicies.create("default", demand);

        assertThat(p.place(whole("one", 1), List.of(eight, two)).node()).isEqualTo("two");
    }

    @Test
    void defaultLeavesScarceModelsToThePodsThatNeedThem() {
        NodeState t4 = modelNode("t4", "T4", 4);
        NodeState g2 = modelNode("g2", "G2", 4);
        // Most of the demand accepts only T4; the T4 node is where capacity is short.
        List<PodRequest> demand = new ArrayList<>(copies(onModel(whole("t4-only", 1), "T4"), 8));
        demand.addAll(copies(whole("any", 1), 2));
        PlacementPolicy p = PlacementPolicies.create("default", demand);

        assertThat(p.place(whole("any", 1), List.of(t4, g2)).node()).isEqualTo("g2");
        assertThat(p.place(whole("any", 1), List.of(g2, t4)).node()).isEqualTo("g2");
    }

    @Test
    void defaultWithoutDemandBinpacks() {
        NodeState empty = node("empty", 4);
        NodeState used = node("used", 4);
        use(used, 0, 1000);
        PlacementPolicy p = PlacementPolicies.create("default", List.of());

        assertThat(p.place(whole("w", 1), List.of(empty, used)).node()).isEqualTo("used");
    }

    @Test
    void cachedScoresFollowNodeChangesAndListReordering() {
        List<NodeState> nodes = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            nodes.add(node("n" + i, 2));
        }
        PlacementPolicy p = PlacementPolicies.create("default", copies(fraction("s", 300), 4));
        long placed = 0;
        for (int round = 0; round < 40; round++) {
            if (round % 7 == 3) {
                Collections.reverse(nodes);
            }
            PodAllocation a = p.place(fraction("s" + round, 300), nodes);
            if (a == null) {
                break;
            }
            nodes.stream().filter(n -> n.name().equals(a.node())).findFirst().orElseThrow().apply(a);
            placed++;
        }
        // 12 devices take three 0.3 shares each; nothing may overflow on the way.
        assertThat(placed).isEqualTo(36);
        for (NodeState n : nodes) {
            for (int d = 0; d < n.gpuCount(); d++) {
                assertThat(n.usedMilli(d)).isEqualTo(900);
            }
        }
    }

    @Test
    void gangOfSharesDoesNotOverflowOneNode() {
        NodeState n = node("a", 1);
        PlacementPolicy p = PlacementPolicies.create("binpack", List.of());
        for (int i = 0; i < 4; i++) {
            placeAndApply(p, PodRequest.of("q" + i, GpuDemand.fraction(250, 1), 0, 0), List.of(n));
        }
        assertThat(p.place(PodRequest.of("q5", GpuDemand.fraction(1, 1), 0, 0), List.of(n))).isNull();
        assertThat(n.sharers(0)).isEqualTo(4);
    }
}
