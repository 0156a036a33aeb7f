package io.gpuq.cli.demo;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Scenario time: the wall clock until the replay starts, then {@code speed} times faster. */
class ScenarioClockTest {

    @Test
    void beforeTheStartItIsTheWallClock() {
        Instant wall = Instant.parse("2030-01-01T00:00:00Z");
        ScenarioClock clock = new ScenarioClock(10, () -> wall);
        assertThat(clock.instant()).isEqualTo(wall);
        assertThat(clock.seconds()).isZero();
        assertThat(clock.started()).isFalse();
        assertThat(clock.wallUntil(60)).isEqualTo(Duration.ofSeconds(6));
    }

    @Test
    void afterTheStartItRunsSpeedTimesFaster() throws InterruptedException {
        Instant wall = Instant.parse("2030-01-01T00:00:00Z");
        ScenarioClock clock = new ScenarioClock(50, () -> wall);
        clock.start();
        Thread.sleep(100);
        // At least 100 ms of wall time went by: at least 5 s of scenario time, on both readings.
        assertThat(clock.seconds()).isGreaterThanOrEqualTo(5.0);
        assertThat(Duration.between(wall, clock.instant())).isGreaterThanOrEqualTo(Duration.ofSeconds(5));
        assertThat(clock.wallUntil(1)).isEqualTo(Duration.ZERO);
        assertThatThrownBy(clock::start).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void durationsConvertBothWays() {
        ScenarioClock clock = new ScenarioClock(20);
        assertThat(clock.toWall(Duration.ofSeconds(60))).isEqualTo(Duration.ofSeconds(3));
        assertThat(clock.toScenario(Duration.ofSeconds(3))).isEqualTo(Duration.ofSeconds(60));
        assertThatThrownBy(() -> new ScenarioClock(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
