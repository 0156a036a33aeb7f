package io.gpuq.scheduler.engine.placement;

import io.gpuq.scheduler.engine.model.DeviceShare;
import io.gpuq.scheduler.engine.model.GpuDemand;
import io.gpuq.scheduler.engine.model.GpuNode;
import io.gpuq.scheduler.engine.model.PodAllocation;
import io.gpuq.scheduler.engine.model.PodRequest;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * Whatever the nodes and pods, every policy keeps the node invariants, only returns allocations
 * that {@link NodeState#apply} accepts, and gives up only when no candidate fits.
 */
class PlacementPropertiesTest {

    @Property(tries = 300)
    void placementsKeepEveryInvariant(@ForAll("policies") String policyName,
                                      @ForAll("clusters") List<GpuNode> cluster,
                                      @ForAll("workloads") List<PodRequest> pods) {
        List<NodeState> nodes = new ArrayList<>();
        cluster.forEach(n -> nodes.add(new NodeState(n)));
        PlacementPolicy policy = PlacementPolicies.create(policyName, pods);
        for (PodRequest pod : pods) {
            PodAllocation a = policy.place(pod, nodes);
            if (a == null) {
                assertThat(nodes).as("%s gave up on %s although a node fits", policyName, pod)
                        .noneMatch(n -> n.fits(pod));
                continue;
            }
            NodeState target = nodes.stream().filter(n -> n.name().equals(a.node())).findFirst().orElse(null);
            assertThat(target).as("chosen node %s is a candidate", a.node()).isNotNull();
            assertShapeMatches(pod, a, target);
            assertThatCode(() -> target.apply(a)).as("apply accepts %s", a).doesNotThrowAnyException();
            assertInvariants(target);
        }
    }

    private static void assertShapeMatches(PodRequest pod, PodAllocation a, NodeState node) {
        assertThat(a.pod()).isEqualTo(pod.name());
        assertThat(a.cpuMillis()).isEqualTo(pod.cpuMillis());
        assertThat(a.memoryMiB()).isEqualTo(pod.memoryMiB());
        Set<Integer> indices = new HashSet<>();
        for (DeviceShare d : a.devices()) {
            assertThat(indices.add(d.index())).as("devices are distinct in %s", a).isTrue();
            assertThat(d.index()).isLessThan(node.gpuCount());
        }
        GpuDemand g = pod.gpu();
        switch (g.kind()) {
            case NONE:
                assertThat(a.devices()).isEmpty();
                break;
            case WHOLE:
                assertThat(a.devices()).hasSize(g.wholeGpus()).allSatisfy(d -> assertThat(d.isWhole()).isTrue());
                break;
            default:
                assertThat(a.devices()).hasSize(g.devices())
                        .allSatisfy(d -> assertThat(d.milli()).isEqualTo(node.milliPerDeviceFor(g)));
        }
    }

    private static void assertInvariants(NodeState n) {
        for (int d = 0; d < n.gpuCount(); d++) {
            assertThat(n.usedMilli(d)).as("device %d of %s", d, n.name()).isBetween(0, GpuDemand.MILLI);
            if (n.heldWhole(d)) {
                assertThat(n.usedMilli(d)).isEqualTo(GpuDemand.MILLI);
                assertThat(n.sharers(d)).as("a device held whole is not shared").isZero();
            }
        }
        if (n.node().cpuMillis() >= 0) {
            assertThat(n.cpuUsed()).isLessThanOrEqualTo(n.node().cpuMillis());
        }
        if (n.node().memoryMiB() >= 0) {
            assertThat(n.memoryUsed()).isLessThanOrEqualTo(n.node().memoryMiB());
        }
    }

    @Provide
    Arbitrary<String> policies() {
        return Arbitraries.of(PlacementPolicies.NAMES);
    }

    @Provide
    Arbitrary<List<GpuNode>> clusters() {
        Arbitrary<Integer> gpus = Arbitraries.integers().between(0, 8);
        Arbitrary<Long> cpu = Arbitraries.oneOf(Arbitraries.just(-1L), Arbitraries.longs().between(0, 64_000));
        Arbitrary<Long> mem = Arbitraries.oneOf(Arbitraries.just(-1L), Arbitraries.longs().between(0, 256_000));
        Arbitrary<Long> deviceMemory = Arbitraries.of(0L, 16_384L, 40_960L, 81_920L);
        Arbitrary<String> model = Arbitraries.of("T4", "A100");
        return Combinators.combine(gpus, cpu, mem, deviceMemory, model)
                .as((g, c, m, dm, mo) -> new long[] {g, c, m, dm, mo.equals("T4") ? 0 : 1})
                .list().ofMinSize(1).ofMaxSize(6)
                .map(specs -> {
                    List<GpuNode> out = new ArrayList<>();
                    for (int i = 0; i < specs.size(); i++) {
                        long[] s = specs.get(i);
                        out.add(GpuNode.simple("n" + i, "default", s[4] == 0 ? "T4" : "A100", s[3], (int) s[0], s[1], s[2]));
                    }
                    return out;
                });
    }

    @Provide
    Arbitrary<List<PodRequest>> workloads() {
        Arbitrary<GpuDemand> demand = Arbitraries.oneOf(
                Arbitraries.just(GpuDemand.none()),
                Arbitraries.integers().between(1, 4).map(GpuDemand::whole),
                Combinators.combine(Arbitraries.integers().between(1, 999), Arbitraries.integers().between(1, 3))
                        .as(GpuDemand::fraction),
                Combinators.combine(Arbitraries.longs().between(1, 90_000), Arbitraries.integers().between(1, 2))
                        .as(GpuDemand::memory));
        Arbitrary<Long> cpu = Arbitraries.longs().between(0, 24_000);
        Arbitrary<Long> mem = Arbitraries.longs().between(0, 96_000);
        return Combinators.combine(demand, cpu, mem).as((g, c, m) -> new Object[] {g, c, m})
                .list().ofMinSize(1).ofMaxSize(60)
                .map(specs -> {
                    List<PodRequest> out = new ArrayList<>();
                    for (int i = 0; i < specs.size(); i++) {
                        Object[] s = specs.get(i);
                        out.add(PodRequest.of("p" + i, (GpuDemand) s[0], (Long) s[1], (Long) s[2]));
                    }
                    return out;
                });
    }
}
