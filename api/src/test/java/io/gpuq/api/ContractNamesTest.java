package io.gpuq.api;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Users' manifests, dashboards and the other components spell these names literally; a rename here would
 * silently break them, so the spellings of DESIGN §3.2 are pinned.
 */
class ContractNamesTest {

    @Test
    void namesShared() {
        assertThat(Names.SCHEDULER_NAME).isEqualTo("runai-scheduler");
        assertThat(Names.GPU_RESOURCE).isEqualTo("nvidia.com/gpu");
        assertThat(Names.DEFAULT_NODE_POOL).isEqualTo("default");
        assertThat(Names.SYSTEM_NAMESPACE).isEqualTo("runai");
        assertThat(Names.API_GROUP_VERSION).isEqualTo("run.ai/v1");
    }

    @Test
    void labels() {
        assertThat(Labels.RUNAI_JOB).isEqualTo("runai-job");
        assertThat(Labels.RUNAI_JOB_ENABLED).isEqualTo("true");
        assertThat(Labels.QUEUE).isEqualTo("runai/queue");
        assertThat(Labels.NODE_POOL).isEqualTo("runai/node-pool");
        assertThat(Labels.WORKLOAD_TYPE).isEqualTo("runai/workload-type");
        assertThat(Labels.PREEMPTIBLE).isEqualTo("runai/preemptible");
    }

    @Test
    void annotations() {
        assertThat(Annotations.GPU_FRACTION).isEqualTo("gpu-fraction");
        assertThat(Annotations.GPU_MEMORY).isEqualTo("gpu-memory");
        assertThat(Annotations.GPU_FRACTION_NUM_DEVICES).isEqualTo("gpu-fraction-num-devices");
        assertThat(Annotations.GPU_FRACTION_CONTAINER_NAME).isEqualTo("gpu-fraction-container-name");
        assertThat(Annotations.POD_GROUP_NAME).isEqualTo("pod-group-name");
        assertThat(Annotations.POD_GROUP_MIN_MEMBER).isEqualTo("runai/pod-group-min-member");
        assertThat(Annotations.GPU_DEVICES).isEqualTo("runai/gpu-devices");
        assertThat(Annotations.NORMALISED_GPU_FRACTION).isEqualTo("runai/gpu-fraction");
        assertThat(Annotations.QUOTA_STATUS).isEqualTo("runai/quota-status");
        assertThat(Annotations.QUOTA_WITHIN).isEqualTo("within-quota");
        assertThat(Annotations.QUOTA_OVER).isEqualTo("over-quota");
    }

    @Test
    void workloadTypesMatchThePriorityClasses() {
        assertThat(WorkloadType.fromLabel("interactive-preemptible")).contains(WorkloadType.INTERACTIVE_PREEMPTIBLE);
        assertThat(WorkloadType.INFERENCE.preemptible()).isFalse();
        assertThat(WorkloadType.INTERACTIVE.preemptible()).isFalse();
        assertThat(WorkloadType.TRAIN.preemptible()).isTrue();
        assertThat(WorkloadType.DEFAULT).isEqualTo(WorkloadType.TRAIN);
    }
}
