package io.gpuq.scheduler.engine.placement;

import io.gpuq.scheduler.engine.model.DeviceShare;
import io.gpuq.scheduler.engine.model.GpuDemand;
import io.gpuq.scheduler.engine.model.GpuNode;
import io.gpuq.scheduler.engine.model.PodAllocation;
import io.gpuq.scheduler.engine.model.PodRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static io.gpuq.scheduler.engine.placement.Fixtures.deviceIndices;
import static io.gpuq.scheduler.engine.placement.Fixtures.fraction;
import static io.gpuq.scheduler.engine.placement.Fixtures.node;
import static io.gpuq.scheduler.engine.placement.Fixtures.placeAndApply;
import static io.gpuq.scheduler.engine.placement.Fixtures.whole;
import static org.assertj.core.api.Assertions.assertThat;

/** Device choice within a node, for every policy. */
class DevicePlacementTest {
    private static PlacementPolicy policy(String name) {
        return PlacementPolicies.create(name, List.of(fraction("s", 500), whole("w", 1)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"default", "binpack"})
    void twoHalvesShareOneDevice(String name) {
        PlacementPolicy p = policy(name);
        List<NodeState> nodes = List.of(node("a", 4));
        PodAllocation first = placeAndApply(p, fraction("h1", 500), nodes);
        PodAllocation second = placeAndApply(p, fraction("h2", 500), nodes);

        assertThat(second.node()).isEqualTo(first.node());
        assertThat(deviceIndices(second)).isEqualTo(deviceIndices(first));
        assertThat(nodes.get(0).usedMilli(first.devices().get(0).index())).isEqualTo(1000);
        assertThat(nodes.get(0).freeWholeDevices()).isEqualTo(3);
    }

    @ParameterizedTest
    @ValueSource(strings = {"default", "binpack"})
    void aShareGoesToTheFullestDeviceThatTakesIt(String name) {
        NodeState n = node("a", 3);
        n.apply(new PodAllocation("x", "a", List.of(new DeviceShare(1, 700)), 0, 0));
        n.apply(new PodAllocation("y", "a", List.of(new DeviceShare(2, 300)), 0, 0));
        PodAllocation a = policy(name).place(fraction("q", 300), List.of(n));

        assertThat(deviceIndices(a)).containsExactly(1);
    }

    @Test
    void spreadPutsSharesOnTheEmptiestDevice() {
        PlacementPolicy p = policy("spread");
        List<NodeState> nodes = List.of(node("a", 2));
        PodAllocation first = placeAndApply(p, fraction("h1", 500), nodes);
        PodAllocation second = placeAndApply(p, fraction("h2", 500), nodes);

        assertThat(deviceIndices(first)).containsExactly(0);
        assertThat(deviceIndices(second)).containsExactly(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"default", "binpack", "spread"})
    void aWholeGpuNeverLandsOnASharedDevice(String name) {
        NodeState n = node("a", 2);
        n.apply(new PodAllocation("x", "a", List.of(new DeviceShare(0, 100)), 0, 0));
        PlacementPolicy p = policy(name);

        PodAllocation one = p.place(whole("w1", 1), List.of(n));
        assertThat(one.devices()).containsExactly(new DeviceShare(1, 1000));
        assertThat(p.place(whole("w2", 2), List.of(n))).as("only one device is completely free").isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"default", "binpack", "spread"})
    void aShareNeverLandsOnADeviceHeldWhole(String name) {
        NodeState n = node("a", 2);
        n.apply(new PodAllocation("w", "a", List.of(new DeviceShare(1, 1000)), 0, 0));
        n.apply(new PodAllocation("x", "a", List.of(new DeviceShare(0, 800)), 0, 0));

        assertThat(policy(name).place(fraction("s", 300), List.of(n))).isNull();
        assertThat(deviceIndices(policy(name).place(fraction("s", 200), List.of(n)))).containsExactly(0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"default", "binpack", "spread"})
    void multiDeviceSharesUseDistinctDevices(String name) {
        NodeState n = node("a", 4);
        n.apply(new PodAllocation("x", "a", List.of(new DeviceShare(3, 900)), 0, 0));
        PodRequest pod = PodRequest.of("md", GpuDemand.fraction(400, 3), 1_000, 1_000);
        PodAllocation a = policy(name).place(pod, List.of(n));

        assertThat(deviceIndices(a)).doesNotHaveDuplicates().hasSize(3).doesNotContain(3);
        assertThat(a.devices()).allSatisfy(d -> assertThat(d.milli()).isEqualTo(400));
        n.apply(a);
        assertThat(policy(name).place(PodRequest.of("md2", GpuDemand.fraction(700, 2), 0, 0), List.of(n)))
                .as("three devices have 600 free and one 100: no two can take 700").isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"default", "binpack", "spread"})
    void wholeGpusTakeTheLowestFreeDevices(String name) {
        NodeState n = node("a", 4);
        n.apply(new PodAllocation("x", "a", List.of(new DeviceShare(1, 1000)), 0, 0));
        PodAllocation a = policy(name).place(whole("w", 2), List.of(n));

        assertThat(a.devices()).containsExactly(new DeviceShare(0, 1000), new DeviceShare(2, 1000));
    }

    @ParameterizedTest
    @ValueSource(strings = {"default", "binpack", "spread"})
    void cpuAndMemoryAreRespected(String name) {
        NodeState smallCpu = node("small-cpu", 8, 2_000, 512_000);
        NodeState smallMem = node("small-mem", 8, 64_000, 1_000);
        NodeState roomy = node("roomy", 1, 64_000, 512_000);
        PodRequest pod = PodRequest.of("p", GpuDemand.fraction(500, 1), 4_000, 8_000);
        List<NodeState> nodes = List.of(smallCpu, smallMem, roomy);

        PodAllocation a = placeAndApply(policy(name), pod, nodes);
        assertThat(a.node()).isEqualTo("roomy");
        assertThat(a.cpuMillis()).isEqualTo(4_000);
        assertThat(a.memoryMiB()).isEqualTo(8_000);
        for (int i = 0; i < 15; i++) {
            placeAndApply(policy(name), PodRequest.of("f" + i, GpuDemand.fraction(1, 1), 4_000, 8_000), nodes);
        }
        assertThat(policy(name).place(PodRequest.of("last", GpuDemand.fraction(1, 1), 4_000, 8_000), nodes))
                .as("64 cores on roomy are used up").isNull();
        assertThat(roomy.cpuUsed()).isEqualTo(64_000);
    }

    @ParameterizedTest
    @ValueSource(strings = {"default", "binpack", "spread"})
    void gpuMemoryRequestsBecomeSharesOfTheDevice(String name) {
        NodeState n = new NodeState(GpuNode.simple("a", "default", "A100", 40_000, 2, 64_000, 512_000));
        PodRequest pod = PodRequest.of("m", GpuDemand.memory(10_000, 1), 0, 0);
        PodAllocation a = policy(name).place(pod, List.of(n));

        assertThat(a.devices()).singleElement().extracting(DeviceShare::milli).isEqualTo(250);
        assertThat(policy(name).place(PodRequest.of("big", GpuDemand.memory(50_000, 1), 0, 0), List.of(n)))
                .as("larger than a device").isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"default", "binpack", "spread"})
    void cpuOnlyPodsGetNoDevices(String name) {
        NodeState n = node("a", 2);
        PodAllocation a = policy(name).place(PodRequest.of("c", GpuDemand.none(), 3_000, 100), List.of(n));

        assertThat(a.devices()).isEmpty();
        assertThat(a.cpuMillis()).isEqualTo(3_000);
    }

    @ParameterizedTest
    @ValueSource(strings = {"default", "binpack", "spread"})
    void placingDoesNotChangeTheNodes(String name) {
        NodeState n = node("a", 2);
        int version = n.version();
        policy(name).place(fraction("s", 500), List.of(n));
        policy(name).place(whole("w", 2), List.of(n));

        assertThat(n.version()).isEqualTo(version);
        assertThat(n.usedMilliTotal()).isZero();
        assertThat(n.cpuUsed()).isZero();
    }
}
