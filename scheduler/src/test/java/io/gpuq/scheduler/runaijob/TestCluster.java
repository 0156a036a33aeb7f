package io.gpuq.scheduler.runaijob;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.gpuq.api.Labels;
import io.gpuq.api.crd.RunaiJob;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** What the controller tests share: the seed manifests, the CRD, polling, and pod phases set by hand. */
final class TestCluster {

    /** Generous, because the build machine is shared; a passing test takes a fraction of it. */
    static final Duration WAIT = Duration.ofSeconds(20);

    private TestCluster() {
    }

    /** A file of the repository, found from whichever module directory the tests run in. */
    static Path repositoryFile(String relative) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(relative);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException(relative + " not found above " + Path.of("").toAbsolutePath());
    }

    /** A RunaiJob manifest of examples/manifests, read as {@code kubectl apply} would send it. */
    static RunaiJob manifest(String file) {
        try (InputStream in = Files.newInputStream(repositoryFile("examples/manifests/" + file))) {
            return Serialization.unmarshal(in, RunaiJob.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Registers the chart's RunaiJob CRD, so the mock API server treats {@code status} as a subresource
     * the way a real one does: a write of the main resource leaves the status alone.
     */
    static void installCrd(KubernetesClient client) {
        try (InputStream in = Files.newInputStream(repositoryFile("charts/gpuq/crds/runaijobs.run.ai-v1.yml"))) {
            CustomResourceDefinition crd = Serialization.unmarshal(in, CustomResourceDefinition.class);
            client.apiextensions().v1().customResourceDefinitions().resource(crd).createOr(existing -> existing.update());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A client of its own for the controller, as the scheduler has. Without the client's own retries
     * every injected API error reaches the controller, whose retries are what the tests check.
     */
    static KubernetesClient controllerClient(KubernetesClient testClient) {
        return new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder(testClient.getConfiguration()).withRequestRetryBackoffLimit(0).build())
                .build();
    }

    /** Fast retries, so a test of error handling spends its time on errors, not on waiting. */
    static RunaiJobControllerSettings settings() {
        return RunaiJobControllerSettings.allNamespaces().withRetryDelays(Duration.ofMillis(20), Duration.ofMillis(200));
    }

    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + WAIT.toSeconds() + " s waiting for: " + what);
            }
            sleep(10);
        }
    }

    /** Polls until {@code value} is non-null, and returns it. */
    static <T> T awaitValue(String what, Supplier<T> value) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        T v;
        while ((v = value.get()) == null) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + WAIT.toSeconds() + " s waiting for: " + what);
            }
            sleep(10);
        }
        return v;
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    static RunaiJob job(KubernetesClient client, String namespace, String name) {
        return client.resources(RunaiJob.class).inNamespace(namespace).withName(name).get();
    }

    /** The job's pods, by name. */
    static List<Pod> pods(KubernetesClient client, String namespace, String job) {
        return client.pods().inNamespace(namespace).withLabel(Labels.JOB_NAME, job).list().getItems().stream()
                .sorted(Comparator.comparing(p -> p.getMetadata().getName()))
                .toList();
    }

    /** Waits for {@code count} pods of the job that are none of {@code notThese} (by UID), and returns them. */
    static List<Pod> awaitPods(KubernetesClient client, String namespace, String job, int count, List<Pod> notThese) {
        List<String> oldUids = notThese.stream().map(p -> p.getMetadata().getUid()).toList();
        return awaitValue(count + " new pods of " + namespace + "/" + job, () -> {
            List<Pod> pods = pods(client, namespace, job);
            boolean fresh = pods.size() == count && pods.stream().noneMatch(p -> oldUids.contains(p.getMetadata().getUid()));
            return fresh ? pods : null;
        });
    }

    /** Plays the kubelet: sets the pod's phase through the status subresource. */
    static void setPhase(KubernetesClient client, Pod pod, String phase) {
        setStatus(client, pod, new PodStatusBuilder().withPhase(phase).build());
    }

    static void setAllPhases(KubernetesClient client, List<Pod> pods, String phase) {
        for (Pod pod : pods) {
            setPhase(client, pod, phase);
        }
    }

    /** The pod's container exited non-zero. */
    static void failPod(KubernetesClient client, Pod pod, int exitCode) {
        setStatus(client, pod, new PodStatusBuilder().withPhase("Failed")
                .withContainerStatuses(new ContainerStatusBuilder()
                        .withName(pod.getSpec().getContainers().get(0).getName())
                        .withNewState().withNewTerminated().withExitCode(exitCode).withReason("Error").endTerminated().endState()
                        .build())
                .build());
    }

    /** The kubelet evicted the pod (node pressure). */
    static void evictPod(KubernetesClient client, Pod pod) {
        setStatus(client, pod, new PodStatusBuilder().withPhase("Failed").withReason("Evicted")
                .withMessage("The node was low on resource: memory.").build());
    }

    private static void setStatus(KubernetesClient client, Pod pod, PodStatus status) {
        Pod current = client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).get();
        current.setStatus(status);
        client.pods().resource(current).updateStatus();
    }

    /** Events recorded on the job. */
    static List<Event> events(KubernetesClient client, String namespace, String job) {
        return client.v1().events().inNamespace(namespace).list().getItems().stream()
                .filter(e -> job.equals(e.getInvolvedObject().getName()))
                .toList();
    }

    static List<String> eventReasons(KubernetesClient client, String namespace, String job) {
        return events(client, namespace, job).stream().map(Event::getReason).toList();
    }
}
