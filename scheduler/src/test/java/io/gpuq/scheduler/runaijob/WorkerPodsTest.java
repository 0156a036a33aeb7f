package io.gpuq.scheduler.runaijob;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.gpuq.api.Annotations;
import io.gpuq.api.Labels;
import io.gpuq.api.crd.RunaiJob;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The pods and Service made from the seed's RunaiJobs, without an API server. */
class WorkerPodsTest {

    private static RunaiJob withUid(RunaiJob job) {
        job.getMetadata().setUid("3f1c0d2e-0000-4000-8000-000000000001");
        return job;
    }

    private static Map<String, String> env(Container c) {
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvVar v : c.getEnv()) {
            assertThat(env).as("duplicate variable %s", v.getName()).doesNotContainKey(v.getName());
            env.put(v.getName(), v.getValue());
        }
        return env;
    }

    @Test
    void fractionalSeedJobMakesOnePodWithItsLimitsIntact() {
        RunaiJob job = withUid(TestCluster.manifest("small-inference.yaml"));

        Pod pod = WorkerPods.build(job, 0, 0);

        assertThat(pod.getMetadata().getName()).isEqualTo("small-inference-0");
        assertThat(pod.getMetadata().getNamespace()).isEqualTo("team-inference");
        assertThat(pod.getMetadata().getLabels())
                .containsEntry(Labels.JOB_NAME, "small-inference")
                .containsEntry(Labels.POD_INDEX, "0");
        assertThat(pod.getMetadata().getAnnotations())
                .doesNotContainKeys(Annotations.POD_GROUP_NAME, Annotations.POD_GROUP_MIN_MEMBER);
        assertThat(pod.getSpec().getSchedulerName()).isEqualTo("runai-scheduler");
        assertThat(pod.getSpec().getRestartPolicy()).isEqualTo("Never");
        assertThat(pod.getSpec().getHostname()).isNull();
        assertThat(pod.getSpec().getSubdomain()).isNull();
        Container c = pod.getSpec().getContainers().get(0);
        assertThat(c.getName()).isEqualTo("inference");
        assertThat(c.getImage()).isEqualTo("nvcr.io/nvidia/pytorch:24.12-py3");
        // The fraction stays as the user wrote it; the webhook rewrites it when the pod is admitted.
        assertThat(c.getResources().getLimits()).containsExactly(Map.entry("nvidia.com/gpu", new Quantity("0.5")));
        assertThat(c.getEnv()).isEmpty();
    }

    @Test
    void fsdpSeedJobMergesTheCommonTemplateIntoTheWorkersAndWiresRendezvous() {
        RunaiJob job = withUid(TestCluster.manifest("fsdp-training.yaml"));

        for (int rank = 0; rank < 4; rank++) {
            Pod pod = WorkerPods.build(job, rank, 0);

            assertThat(pod.getMetadata().getName()).isEqualTo("fsdp-training-" + rank);
            assertThat(pod.getMetadata().getLabels())
                    .containsEntry(Labels.JOB_NAME, "fsdp-training")
                    .containsEntry(Labels.POD_INDEX, Integer.toString(rank));
            assertThat(pod.getMetadata().getAnnotations())
                    .containsEntry(Annotations.POD_GROUP_NAME, "fsdp-training")
                    .containsEntry(Annotations.POD_GROUP_MIN_MEMBER, "4")
                    .containsEntry(WorkerPods.RESTARTS_ANNOTATION, "0");
            // schedulerName from spec.template, containers from the workers' template.
            assertThat(pod.getSpec().getSchedulerName()).isEqualTo("runai-scheduler");
            assertThat(pod.getSpec().getHostname()).isEqualTo("fsdp-training-" + rank);
            assertThat(pod.getSpec().getSubdomain()).isEqualTo("fsdp-training");
            Container c = pod.getSpec().getContainers().get(0);
            assertThat(c.getCommand()).containsExactly("torchrun");
            assertThat(c.getArgs()).containsExactly("--nnodes=4", "--nproc_per_node=8", "train.py");
            assertThat(c.getResources().getLimits()).containsEntry("nvidia.com/gpu", new Quantity("8"));
            assertThat(env(c)).containsExactly(
                    Map.entry("MASTER_ADDR", "fsdp-training-0.fsdp-training.team-training.svc"),
                    Map.entry("MASTER_PORT", "29500"),
                    Map.entry("WORLD_SIZE", "4"),
                    Map.entry("RANK", Integer.toString(rank)),
                    Map.entry("NNODES", "4"),
                    Map.entry("NODE_RANK", Integer.toString(rank)));
            OwnerReference owner = pod.getMetadata().getOwnerReferences().get(0);
            assertThat(owner.getApiVersion()).isEqualTo("run.ai/v1");
            assertThat(owner.getKind()).isEqualTo("RunaiJob");
            assertThat(owner.getName()).isEqualTo("fsdp-training");
            assertThat(owner.getUid()).isEqualTo(job.getMetadata().getUid());
            assertThat(owner.getController()).isTrue();
            assertThat(owner.getBlockOwnerDeletion()).isTrue();
        }
        // The job's own template is left as it was.
        assertThat(job.getSpec().getDistributedTraining().getWorkers().getTemplate().getSpec().getContainers().get(0).getEnv())
                .isEmpty();
    }

    @Test
    void aVariableTheUserSetKeepsTheUsersValueAndIsNotRepeated() {
        RunaiJob job = withUid(TestCluster.manifest("fsdp-training.yaml"));
        Container trainer = job.getSpec().getDistributedTraining().getWorkers().getTemplate().getSpec().getContainers().get(0);
        trainer.setEnv(List.of(new EnvVar("MASTER_PORT", "23456", null), new EnvVar("NCCL_DEBUG", "INFO", null)));

        Map<String, String> env = env(WorkerPods.build(job, 2, 0).getSpec().getContainers().get(0));

        assertThat(env).containsEntry("MASTER_PORT", "23456").containsEntry("NCCL_DEBUG", "INFO")
                .containsEntry("RANK", "2").containsEntry("WORLD_SIZE", "4").hasSize(7);
    }

    @Test
    void theWorkersTemplateWinsFieldByFieldAndListsAreTakenWhole() {
        PodTemplateSpec common = new PodTemplateSpecBuilder()
                .withNewMetadata().withLabels(Map.of("team", "training", "tier", "common")).endMetadata()
                .withNewSpec()
                    .withSchedulerName("runai-scheduler")
                    .withPriorityClassName("train")
                    .withNodeSelector(Map.of("disk", "ssd"))
                    .addNewContainer().withName("common").withImage("busybox").endContainer()
                .endSpec()
                .build();
        PodTemplateSpec workers = new PodTemplateSpecBuilder()
                .withNewMetadata().withLabels(Map.of("tier", "workers")).endMetadata()
                .withNewSpec()
                    .withNodeSelector(Map.of("gpu", "h100"))
                    .addNewContainer().withName("trainer").withImage("pytorch").endContainer()
                .endSpec()
                .build();

        PodTemplateSpec merged = PodTemplates.merge(common, workers);

        assertThat(merged.getMetadata().getLabels()).containsExactlyInAnyOrderEntriesOf(Map.of("team", "training", "tier", "workers"));
        assertThat(merged.getSpec().getSchedulerName()).isEqualTo("runai-scheduler");
        assertThat(merged.getSpec().getPriorityClassName()).isEqualTo("train");
        assertThat(merged.getSpec().getNodeSelector()).containsExactlyInAnyOrderEntriesOf(Map.of("disk", "ssd", "gpu", "h100"));
        assertThat(merged.getSpec().getContainers()).extracting(Container::getName).containsExactly("trainer");
        assertThat(common.getSpec().getNodeSelector()).containsOnlyKeys("disk");
    }

    @Test
    void aUsersGangSettingsAndRestartPolicyAreKept() {
        RunaiJob job = withUid(TestCluster.manifest("fsdp-training.yaml"));
        PodTemplateSpec template = job.getSpec().getDistributedTraining().getWorkers().getTemplate();
        template.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
                .withAnnotations(Map.of(Annotations.POD_GROUP_NAME, "shared-group")).build());
        template.getSpec().setRestartPolicy("OnFailure");

        Pod pod = WorkerPods.build(job, 1, 3);

        assertThat(pod.getMetadata().getAnnotations())
                .containsEntry(Annotations.POD_GROUP_NAME, "shared-group")
                .containsEntry(Annotations.POD_GROUP_MIN_MEMBER, "4")
                .containsEntry(WorkerPods.RESTARTS_ANNOTATION, "3");
        assertThat(pod.getSpec().getRestartPolicy()).isEqualTo("OnFailure");
    }

    @Test
    void podsAndServiceSurviveAJsonRoundTripUnchanged() {
        RunaiJob job = withUid(TestCluster.manifest("fsdp-training.yaml"));
        Pod pod = WorkerPods.build(job, 3, 0);
        Service service = HeadlessService.build(job);

        assertThat(Serialization.unmarshal(Serialization.asJson(pod), Pod.class)).isEqualTo(pod);
        assertThat(Serialization.unmarshal(Serialization.asJson(service), Service.class)).isEqualTo(service);
        assertThat(Serialization.asJson(pod)).contains("\"kind\":\"Pod\"", "\"apiVersion\":\"v1\"");
    }

    @Test
    void headlessServiceSelectsTheJobsPodsOnTheRendezvousPort() {
        RunaiJob job = withUid(TestCluster.manifest("fsdp-training.yaml"));

        Service service = HeadlessService.build(job);

        assertThat(service.getMetadata().getName()).isEqualTo("fsdp-training");
        assertThat(service.getMetadata().getNamespace()).isEqualTo("team-training");
        assertThat(service.getSpec().getClusterIP()).isEqualTo("None");
        assertThat(service.getSpec().getSelector()).containsExactly(Map.entry(Labels.JOB_NAME, "fsdp-training"));
        assertThat(service.getSpec().getPorts()).singleElement()
                .satisfies(p -> assertThat(p.getPort()).isEqualTo(29500));
        assertThat(service.getSpec().getPublishNotReadyAddresses()).isTrue();
        assertThat(service.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(o -> assertThat(o.getUid()).isEqualTo(job.getMetadata().getUid()));
    }
}
