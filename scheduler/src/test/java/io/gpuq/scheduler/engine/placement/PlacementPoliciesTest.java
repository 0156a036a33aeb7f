package io.gpuq.scheduler.engine.placement;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PlacementPoliciesTest {
    @Test
    void createsEachNamedPolicy() {
        for (String name : PlacementPolicies.NAMES) {
            assertThat(PlacementPolicies.create(name, List.of()).name()).isEqualTo(name);
        }
        assertThat(PlacementPolicies.NAMES).containsExactly("default", "binpack", "spread");
    }

    @Test
    void unknownNameIsRejectedWithTheAllowedValues() {
        assertThatThrownBy(() -> PlacementPolicies.create("firstfit", List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown placement policy 'firstfit'; allowed: default, binpack, spread");
    }

    @Test
    void aNullSampleIsAnEmptySample() {
        PlacementPolicy p = PlacementPolicies.create("default", null);
        NodeState a = Fixtures.node("a", 2);
        assertThat(p.place(Fixtures.whole("w", 1), List.of(a))).isNotNull();
    }
}
