package io.gpuq.cli.demo;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.gpuq.api.Annotations;
import io.gpuq.api.Labels;
import io.gpuq.api.Names;
import io.gpuq.embedded.KubeletStandIn;
import io.gpuq.scheduler.sim.scenario.Scenario;
import io.gpuq.scheduler.sim.scenario.ScenarioLoader;
import io.gpuq.scheduler.sim.scenario.WorkloadSpec;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Scenario workloads as the pods a user would write, before the webhook has seen them. */
class WorkloadPodsTest {
    private static final Scenario SCENARIO = ScenarioLoader.parse("""
            nodes: [{name: n, count: 2, gpus: 8, gpuModel: H100, gpuMemoryMiB: 81920}]
            projects: [{name: team-a, deservedGpus: 8}]
            workloads:
              - {name: train, project: team-a, type: train, gpusPerPod: 4, durationSeconds: 7200}
              - {name: chat, project: team-a, type: inference, pods: 2, gpuFraction: 0.5}
              - {name: mem, project: team-a, type: interactive, gpuMemoryMiB: 20000, cpuMillis: 500, memoryMiB: 1024}
              - {name: fsdp, project: team-a, type: train, pods: 4, minMember: 3, gpusPerPod: 8, node: n-1}
              - {name: urgent, project: team-a, type: train, priority: 125, gpusPerPod: 1}
              - {name: odd, project: team-a, type: build, priority: 60, gpusPerPod: 1}
            """, "test");

    private static WorkloadSpec workload(String name) {
        return SCENARIO.workloads().stream().filter(w -> w.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void wholeGpusGoToLimitsAndTheDurationToTheKubeletStandIn() {
        Pod p = WorkloadPods.pod(workload("train"), 0);
        assertThat(p.getMetadata().getName()).isEqualTo("train-0");
        assertThat(p.getMetadata().getNamespace()).isEqualTo("team-a");
        assertThat(p.getMetadata().getLabels()).containsEntry(Labels.WORKLOAD_TYPE, "train")
                .containsEntry(WorkloadPods.WORKLOAD_LABEL, "train").doesNotContainKey(Labels.QUEUE);
        assertThat(p.getMetadata().getAnnotations()).containsEntry(KubeletStandIn.RUN_SECONDS, "7200")
                .doesNotContainKey(Annotations.POD_GROUP_NAME);
        assertThat(p.getSpec().getContainers().get(0).getResources().getLimits())
                .containsExactly(java.util.Map.entry(Names.GPU_RESOURCE, new Quantity("4")));
        assertThat(p.getSpec().getSchedulerName()).as("the webhook routes it").isNull();
    }

    @Test
    void aFractionIsWrittenInTheSeedsFormAndPodsOfAWorkloadFormAGang() {
        Pod p = WorkloadPods.pod(workload("chat"), 1);
        assertThat(p.getMetadata().getName()).isEqualTo("chat-1");
        assertThat(p.getSpec().getContainers().get(0).getResources().getLimits().get(Names.GPU_RESOURCE))
                .isEqualTo(new Quantity("0.5"));
        assertThat(p.getMetadata().getAnnotations()).containsEntry(Annotations.POD_GROUP_NAME, "chat")
                .containsEntry(Annotations.POD_GROUP_MIN_MEMBER, "2").doesNotContainKey(KubeletStandIn.RUN_SECONDS);
        assertThat(WorkloadPods.gpusPerPod(workload("chat"), 81920)).isEqualTo(0.5);
    }

    @Test
    void gpuMemoryIsAnAnnotationAndCpuAndMemoryAreRequests() {
        Pod p = WorkloadPods.pod(workload("mem"), 0);
        assertThat(p.getMetadata().getAnnotations()).containsEntry(Annotations.GPU_MEMORY, "20000");
        assertThat(p.getSpec().getContainers().get(0).getResources().getLimits()).isEmpty();
        assertThat(p.getSpec().getContainers().get(0).getResources().getRequests())
                .containsEntry("cpu", new Quantity("500m")).containsEntry("memory", new Quantity("1024Mi"));
        assertThat(WorkloadPods.gpusPerPod(workload("mem"), 81920)).isEqualTo(0.245);
    }

    @Test
    void minMemberAndAPinnedNodeAreKept() {
        Pod p = WorkloadPods.pod(workload("fsdp"), 3);
        assertThat(p.getMetadata().getAnnotations()).containsEntry(Annotations.POD_GROUP_MIN_MEMBER, "3");
        assertThat(p.getSpec().getNodeSelector()).containsEntry("kubernetes.io/hostname", "n-1");
    }

    @Test
    void aPriorityOfAnotherGpuqClassNamesThatClassAndAnyOtherIsReported() {
        assertThat(WorkloadPods.pod(workload("urgent"), 0).getSpec().getPriorityClassName()).isEqualTo("inference");
        assertThat(WorkloadPods.pod(workload("urgent"), 0).getMetadata().getLabels())
                .as("inference is not preemptible, and neither is a train workload at its priority")
                .doesNotContainKey(Labels.PREEMPTIBLE);
        assertThat(WorkloadPods.unsupportedPriority(workload("urgent"))).isEmpty();
        assertThat(WorkloadPods.pod(workload("odd"), 0).getSpec().getPriorityClassName()).isNull();
        assertThat(WorkloadPods.unsupportedPriority(workload("odd"))).hasValue("workload odd asks for priority 60, which "
                + "no gpuq PriorityClass has; in a cluster pods get their priority from their class, so it runs as build (25)");
        assertThat(WorkloadPods.pod(workload("train"), 0).getSpec().getPriorityClassName()).as("the webhook picks it").isNull();
    }
}
