package io.gpuq.scheduler.packing;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SeedsTest {
    @Test
    void parsesSingleSeedsRangesAndLists() {
        assertThat(Seeds.parse("42-51")).containsExactly(42L, 43L, 44L, 45L, 46L, 47L, 48L, 49L, 50L, 51L);
        assertThat(Seeds.parse("7")).containsExactly(7L);
        assertThat(Seeds.parse("1, 5,9-11,5")).containsExactly(1L, 5L, 9L, 10L, 11L);
    }

    @Test
    void rejectsWhatIsNotASeedList() {
        assertThatThrownBy(() -> Seeds.parse("42-x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid seeds '42-x' at '42-x': not a whole number; use a seed (42), a range (42-51) "
                        + "or a comma-separated list of them (1,5,9-11)");
        assertThatThrownBy(() -> Seeds.parse("51-42")).hasMessageContaining("the range ends before it starts");
        assertThatThrownBy(() -> Seeds.parse("1-5000")).hasMessageContaining("at most 1000 seeds");
        assertThatThrownBy(() -> Seeds.parse("")).hasMessageContaining("not a whole number");
    }
}
