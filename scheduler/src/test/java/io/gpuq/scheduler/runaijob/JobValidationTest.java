package io.gpuq.scheduler.runaijob;

import io.gpuq.api.crd.RunaiJob;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class JobValidationTest {

    @Test
    void theSeedJobsAreValid() {
        assertThat(JobValidation.problems(TestCluster.manifest("small-inference.yaml"))).isEmpty();
        assertThat(JobValidation.problems(TestCluster.manifest("fsdp-training.yaml"))).isEmpty();
    }

    @Test
    void restartPolicyAlwaysIsRefusedWithTheAllowedValues() {
        RunaiJob job = TestCluster.manifest("small-inference.yaml");
        job.getSpec().getTemplate().getSpec().setRestartPolicy("Always");

        assertThat(JobValidation.problems(job)).singleElement().asString()
                .contains("spec.template.spec.restartPolicy is 'Always'", "Never", "OnFailure");
    }

    @Test
    void aJobWithoutContainersSaysWhereTheyBelong() {
        RunaiJob job = TestCluster.manifest("fsdp-training.yaml");
        job.getSpec().getDistributedTraining().getWorkers().getTemplate().getSpec().setContainers(null);

        assertThat(JobValidation.problems(job)).singleElement().asString()
                .contains("spec.distributedTraining.workers.template.spec.containers is empty", "spec.template");
    }

    @Test
    void aDistributedJobNeedsANameThatCanNameItsServiceAndHosts() {
        RunaiJob dotted = TestCluster.manifest("fsdp-training.yaml");
        dotted.getMetadata().setName("fsdp.training");
        RunaiJob longName = TestCluster.manifest("fsdp-training.yaml");
        longName.getMetadata().setName("f".repeat(62));

        assertThat(JobValidation.problems(dotted)).singleElement().asString().contains("headless Service");
        assertThat(JobValidation.problems(longName)).singleElement().asString()
                .contains("worker host name", "64 characters", "at most 63");
    }

    @Test
    void zeroReplicasIsRefused() {
        RunaiJob job = TestCluster.manifest("fsdp-training.yaml");
        job.getSpec().getDistributedTraining().getWorkers().setReplicas(0);

        assertThat(JobValidation.problems(job)).anySatisfy(p -> assertThat(p).contains("replicas is 0", "at least 1"));
    }
}
