package io.gpuq.scheduler.reserve;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.gpuq.api.Annotations;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@EnableKubernetesMockClient(crud = true)
class ReservationProgramTest {
    KubernetesClient client;

    @Test
    void recordsTheDeviceItWasGivenOnItsOwnPod() throws Exception {
        client.pods().inNamespace("runai-reservation").resource(new PodBuilder().withNewMetadata()
                .withName("gpuq-reservation-node-1-3").endMetadata().withNewSpec().addNewContainer().withName("reserve")
                .withImage("gpuq").endContainer().endSpec().build()).create();
        ReservationProgram program = new ReservationProgram(client, Map.of(
                "NVIDIA_VISIBLE_DEVICES", "GPU-8a2f3c1e-1111-2222-3333-444455556666",
                "POD_NAME", "gpuq-reservation-node-1-3", "POD_NAMESPACE", "runai-reservation"));
        assertThat(program.record(Duration.ofSeconds(5))).isEqualTo("GPU-8a2f3c1e-1111-2222-3333-444455556666");
        assertThat(client.pods().inNamespace("runai-reservation").withName("gpuq-reservation-node-1-3").get()
                .getMetadata().getAnnotations())
                .containsEntry(Annotations.RESERVED_GPU_UUID, "GPU-8a2f3c1e-1111-2222-3333-444455556666");
    }

    @Test
    void refusesToRunWithoutExactlyOneDevice() {
        for (String visible : new String[]{"", "void", "all", "GPU-a,GPU-b"}) {
            ReservationProgram program = new ReservationProgram(client, Map.of("NVIDIA_VISIBLE_DEVICES", visible,
                    "POD_NAME", "p", "POD_NAMESPACE", "ns"));
            assertThatThrownBy(program::deviceUuid).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("NVIDIA_VISIBLE_DEVICES");
        }
        ReservationProgram noName = new ReservationProgram(client, Map.of("NVIDIA_VISIBLE_DEVICES", "GPU-a"));
        assertThatThrownBy(() -> noName.record(Duration.ofSeconds(1))).hasMessageContaining("POD_NAME is not set");
    }

    @Test
    void aMissingPodIsAClearError() {
        ReservationProgram program = new ReservationProgram(client, Map.of("NVIDIA_VISIBLE_DEVICES", "GPU-a",
                "POD_NAME", "gone", "POD_NAMESPACE", "runai-reservation"));
        assertThatThrownBy(() -> program.record(Duration.ofSeconds(1))).hasMessageContaining("cannot record GPU GPU-a");
    }
}
