package io.gpuq.scheduler.runaijob;

import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.gpuq.api.crd.RunaiJob;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** How a job's pods are sorted before the failure policy looks at them. */
class JobPodsTest {

    private static RunaiJob fsdp() {
        RunaiJob job = TestCluster.manifest("fsdp-training.yaml");
        job.getMetadata().setUid("uid-now");
        return job;
    }

    private static Pod pod(RunaiJob job, int rank, int restarts, String phase) {
        return new PodBuilder(WorkerPods.build(job, rank, restarts)).withNewStatus().withPhase(phase).endStatus().build();
    }

    @Test
    void podsOfAnEarlierRestartAreStaleAndNeverCurrent() {
        RunaiJob job = fsdp();
        List<Pod> pods = List.of(pod(job, 0, 1, "Running"), pod(job, 1, 0, "Failed"), pod(job, 2, 1, "Pending"));

        JobPods view = JobPods.observe(job, pods, 1, p -> false);

        assertThat(view.current()).containsOnlyKeys(0, 2);
        assertThat(view.stale()).extracting(p -> p.getMetadata().getName()).containsExactly("fsdp-training-1");
        assertThat(view.withFate(PodFate.FAILED)).as("an old failure is not counted again").isEmpty();
        assertThat(view.missingRanks()).containsExactly(1, 3);
        assertThat(view.nameTaken("fsdp-training-1")).as("its name stays taken until it is gone").isTrue();
        assertThat(view.anyPlaced()).isTrue();
    }

    @Test
    void aPredecessorsPodsAreNeitherCountedNorTouchedButBlockTheirNames() {
        RunaiJob job = fsdp();
        Pod leftover = new PodBuilder(pod(job, 0, 0, "Failed")).editMetadata()
                .withOwnerReferences(new OwnerReferenceBuilder().withKind("RunaiJob").withName("fsdp-training")
                        .withUid("uid-before").withController(true).build())
                .endMetadata().build();

        JobPods view = JobPods.observe(job, List.of(leftover), 0, p -> false);

        assertThat(view.current()).isEmpty();
        assertThat(view.stale()).isEmpty();
        assertThat(view.missingRanks()).containsExactly(0, 1, 2, 3);
        assertThat(view.nameTaken("fsdp-training-0")).isTrue();
    }

    @Test
    void terminatingPodsAndOutOfRangeRanksAreSortedOut() {
        RunaiJob job = fsdp();
        Pod terminating = new PodBuilder(pod(job, 0, 0, "Running")).editMetadata()
                .withDeletionTimestamp(Instant.now().toString()).endMetadata().build();
        Pod extra = pod(job, 7, 0, "Running");

        JobPods view = JobPods.observe(job, List.of(terminating, extra), 0, p -> false);

        assertThat(view.current()).isEmpty();
        assertThat(view.stale()).containsExactly(extra);
        assertThat(view.nameTaken("fsdp-training-0")).isTrue();
        assertThat(view.anyPlaced()).isFalse();
    }

    @Test
    void disruptionsAreEvictionsAndOtherFailuresAreFailures() {
        RunaiJob job = fsdp();
        Pod preempted = new PodBuilder(pod(job, 0, 0, "Failed")).editStatus().withReason("Preempted").endStatus().build();
        Pod evictedByApi = new PodBuilder(pod(job, 1, 0, "Failed")).editStatus()
                .withConditions(new PodConditionBuilder().withType("DisruptionTarget").withStatus("True")
                        .withReason("EvictionByEvictionAPI").build())
                .endStatus().build();
        Pod crashed = pod(job, 2, 0, "Failed");

        assertThat(PodFate.of(preempted)).isEqualTo(PodFate.EVICTED);
        assertThat(PodFate.of(evictedByApi)).isEqualTo(PodFate.EVICTED);
        assertThat(PodFate.of(crashed)).isEqualTo(PodFate.FAILED);
        assertThat(PodFate.of(pod(job, 3, 0, null))).isEqualTo(PodFate.PENDING);
    }

    @Test
    void podsTheControllerDeletedAMomentAgoAreNoLongerCurrent() {
        RunaiJob job = fsdp();
        Pod deleted = pod(job, 0, 0, "Running");
        deleted.getMetadata().setUid("deleted-uid");
        Pod kept = pod(job, 1, 0, "Running");
        kept.getMetadata().setUid("kept-uid");

        JobPods view = JobPods.observe(job, List.of(deleted, kept), 0, p -> "deleted-uid".equals(p.getMetadata().getUid()));

        assertThat(view.current()).containsOnlyKeys(1);
        assertThat(view.stale()).isEmpty();
        assertThat(view.nameTaken("fsdp-training-0")).isTrue();
    }
}
