package io.gpuq.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.gpuq.scheduler.reserve.ReservationProgram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/** {@code gpuq reserve}: the program of the scheduler's reservation pods. */
@Command(name = "reserve",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Hold one GPU for fractional pods: record the device UUID the NVIDIA device plugin gave this",
            "container (NVIDIA_VISIBLE_DEVICES) in the pod's runai/reserved-gpu-uuid annotation, then wait",
            "until stopped. The scheduler creates these pods; POD_NAME and POD_NAMESPACE come from the",
            "downward API."
        })
public final class ReserveCommand implements Runnable {

    @Option(names = "--patience-seconds", paramLabel = "S", defaultValue = "120",
            description = "how long to retry recording the device before giving up (default: ${DEFAULT-VALUE})")
    long patienceSeconds;

    @Override
    public void run() {
        if (patienceSeconds < 1) {
            throw new UserInputException("--patience-seconds must be at least 1, not " + patienceSeconds);
        }
        try (KubernetesClient client = new KubernetesClientBuilder().build()) {
            ReservationProgram program = new ReservationProgram(client, System.getenv());
            try {
                program.record(Duration.ofSeconds(patienceSeconds));
            } catch (IllegalStateException e) {
                throw new UserInputException(e.getMessage());
            }
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown, "gpuq-reserve-shutdown"));
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
