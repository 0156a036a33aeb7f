package io.gpuq.scheduler.runaijob;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.gpuq.api.crd.RunaiJob;
import io.gpuq.api.crd.RunaiJobPhase;
import io.gpuq.api.crd.RunaiJobStatus;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class JobStatusesTest {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    private static JobPods pods(String... phases) {
        RunaiJob job = TestCluster.manifest("fsdp-training.yaml");
        job.getMetadata().setUid("uid");
        List<Pod> pods = new ArrayList<>();
        for (int i = 0; i < phases.length; i++) {
            pods.add(new PodBuilder(WorkerPods.build(job, i, 0)).withNewStatus().withPhase(phases[i]).endStatus().build());
        }
        return JobPods.observe(job, pods, 0, p -> false);
    }

    @Test
    void aConditionKeepsItsTransitionTimeWhileItsStatusStays() {
        RunaiJobStatus one = JobStatuses.observed(null, pods("Running", "Pending", "Pending", "Pending"), 0, T0, 1L);
        RunaiJobStatus two = JobStatuses.observed(one, pods("Running", "Running", "Pending", "Pending"), 0, T0.plusSeconds(5), 1L);
        RunaiJobStatus all = JobStatuses.observed(two, pods("Running", "Running", "Running", "Running"), 0, T0.plusSeconds(9), 1L);

        assertThat(JobStatuses.condition(two, JobStatuses.RUNNING).getLastTransitionTime()).isEqualTo("2026-03-01T10:00:00Z");
        assertThat(JobStatuses.condition(two, JobStatuses.RUNNING).getMessage()).startsWith("2/4 pods running");
        assertThat(all.getPhase()).isEqualTo(RunaiJobPhase.RUNNING);
        assertThat(all.getStartTime()).isEqualTo("2026-03-01T10:00:09Z");
        assertThat(JobStatuses.condition(all, JobStatuses.RUNNING).getLastTransitionTime()).isEqualTo("2026-03-01T10:00:09Z");
        assertThat(JobStatuses.condition(all, JobStatuses.RUNNING).getObservedGeneration()).isEqualTo(1L);
    }

    @Test
    void runningRanksBesideFinishedOnesKeepTheJobRunning() {
        RunaiJobStatus status = JobStatuses.observed(null, pods("Succeeded", "Running", "Succeeded", "Running"), 0, T0, 1L);

        assertThat(status.getPhase()).isEqualTo(RunaiJobPhase.RUNNING);
        assertThat(status.getActive()).isEqualTo(2);
        assertThat(status.getSucceeded()).isEqualTo(2);
    }

    @Test
    void aRestartKeepsItsReasonUntilEveryPodRunsAgain() {
        RunaiJobStatus restarting = JobStatuses.restarting(null, 1, "pod x failed; restarting all 4 workers", T0, 1L);
        RunaiJobStatus pending = JobStatuses.observed(restarting, pods("Running", "Pending", "Pending", "Pending"), 1, T0, 1L);

        assertThat(pending.getFailed()).isEqualTo(1);
        assertThat(JobStatuses.condition(pending, JobStatuses.RUNNING).getReason()).isEqualTo(JobStatuses.REASON_RESTARTING);
        assertThat(JobStatuses.condition(pending, JobStatuses.RUNNING).getMessage()).contains("pod x failed");
    }
}
