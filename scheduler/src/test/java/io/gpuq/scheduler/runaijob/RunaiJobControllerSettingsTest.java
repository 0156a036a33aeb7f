package io.gpuq.scheduler.runaijob;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RunaiJobControllerSettingsTest {

    @Test
    void defaultsWatchEveryNamespace() {
        RunaiJobControllerSettings s = RunaiJobControllerSettings.allNamespaces();

        assertThat(s.allNamespacesWatched()).isTrue();
        assertThat(s.resyncPeriod()).isEqualTo(Duration.ofMinutes(5));
        assertThat(RunaiJobControllerSettings.inNamespace("team-a").namespace()).isEqualTo("team-a");
    }

    @Test
    void badValuesAreRefusedWithWhatIsAllowed() {
        RunaiJobControllerSettings s = RunaiJobControllerSettings.allNamespaces();

        assertThatThrownBy(() -> s.withWorkers(0)).hasMessageContaining("workers must be at least 1");
        assertThatThrownBy(() -> s.withNamespace(" ")).hasMessageContaining("null for all namespaces");
        assertThatThrownBy(() -> s.withResyncPeriod(Duration.ofSeconds(-1))).hasMessageContaining("resyncPeriod must not be negative");
        assertThatThrownBy(() -> s.withRetryDelays(Duration.ZERO, Duration.ofSeconds(1))).hasMessageContaining("busy loop");
        assertThatThrownBy(() -> s.withRetryDelays(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .hasMessageContaining("must not be below retryBaseDelay");
        assertThatThrownBy(() -> RunaiJobControllerSettings.inNamespace(null)).hasMessageContaining("allNamespaces()");
    }
}
