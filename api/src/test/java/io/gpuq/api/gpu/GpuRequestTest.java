package io.gpuq.api.gpu;

import io.gpuq.api.gpu.GpuRequest.Kind;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GpuRequestTest {

    @Test
    void everyShareIsNormalisedAsItsShortestDecimal() {
        for (int milli = -1001; milli <= 2001; milli++) {
            assertThat(GpuRequest.normalise(milli)).as("%d", milli)
                    .isEqualTo(java.math.BigDecimal.valueOf(milli, 3).stripTrailingZeros().toPlainString());
        }
        assertThat(GpuRequest.normalise(500)).isEqualTo("0.5");
        assertThat(GpuRequest.normalise(10)).isEqualTo("0.01");
    }

    @Test
    void normalisedFractionIsTheShortestDecimal() {
        assertThat(GpuRequest.normalise(500)).isEqualTo("0.5");
        assertThat(GpuRequest.normalise(250)).isEqualTo("0.25");
        assertThat(GpuRequest.normalise(125)).isEqualTo("0.125");
        assertThat(GpuRequest.normalise(100)).isEqualTo("0.1");
        assertThat(GpuRequest.normalise(1)).isEqualTo("0.001");
        assertThat(GpuRequest.normalise(1000)).isEqualTo("1");
    }

    @Test
    void milliGpusForQuotaAccounting() {
        assertThat(GpuRequest.none().milliGpus()).isZero();
        assertThat(GpuRequest.whole(2, "c").milliGpus()).isEqualTo(2000);
        assertThat(GpuRequest.fraction(250, 2, "c", false).milliGpus()).isEqualTo(500);
        assertThat(GpuRequest.fraction(250, 2, "c", false).gpus()).isEqualTo(0.5);
        assertThat(GpuRequest.whole(2, "c").milliGpus(81920)).isEqualTo(2000);
    }

    @Test
    void memoryIsAShareOnlyRelativeToADevice() {
        GpuRequest half = GpuRequest.memory(40960, 1, "c");

        assertThat(half.milliGpus(81920)).isEqualTo(500);
        assertThat(half.gpus(81920)).isEqualTo(0.5);
        assertThat(GpuRequest.memory(40960, 2, "c").milliGpus(81920)).isEqualTo(1000);
        assertThat(GpuRequest.memory(1, 1, "c").milliGpus(81920)).as("rounded up, never under-counted").isEqualTo(1);
        assertThat(GpuRequest.memory(20000, 1, "c").milliGpus(16384)).as("does not fit").isGreaterThan(1000);
        assertThatThrownBy(half::milliGpus).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("milliGpus(deviceMemoryMib)");
        assertThatThrownBy(() -> half.milliGpus(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sharedKinds() {
        assertThat(GpuRequest.fraction(1, 1, "c", true).isShared()).isTrue();
        assertThat(GpuRequest.memory(1, 1, "c").isShared()).isTrue();
        assertThat(GpuRequest.whole(1, "c").isShared()).isFalse();
        assertThat(GpuRequest.none().isShared()).isFalse();
    }

    @Test
    void inconsistentRequestsCannotBeBuilt() {
        assertThatThrownBy(() -> GpuRequest.fraction(1000, 1, "c", false)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GpuRequest.fraction(0, 1, "c", false)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GpuRequest.fraction(500, 0, "c", false)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GpuRequest.whole(0, "c")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GpuRequest.memory(0, 1, "c")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GpuRequest.memory(GpuRequest.MAX_MEMORY_MIB + 1, 1, "c"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new GpuRequest(Kind.FRACTION, 0, 500, "0.50", 0, 1, "c", false))
                .as("the decimal must be the normalised one").isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new GpuRequest(Kind.NONE, 1, 0, null, 0, 0, null, false))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new GpuRequest(Kind.WHOLE, 2, 0, null, 0, 1, "c", false))
                .as("whole devices are the devices touched").isInstanceOf(IllegalArgumentException.class);
    }
}
