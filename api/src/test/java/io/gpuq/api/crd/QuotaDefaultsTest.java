package io.gpuq.api.crd;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Defaults live in one place; these pin the values DESIGN §3.1 documents. */
class QuotaDefaultsTest {

    @Test
    void emptyProjectSpecMeansTheDocumentedDefaults() {
        Project p = new Project();
        p.setMetadata(new ObjectMetaBuilder().withName("team-a").withNamespace("runai").build());
        ProjectSpec spec = p.getSpec();

        assertThat(spec).isNotNull();
        assertThat(spec.effectiveDeservedGpus()).isZero();
        assertThat(spec.effectiveOverQuotaWeight()).isEqualTo(1.0);
        assertThat(spec.effectiveMaxGpus()).isEqualTo(-1.0);
        assertThat(Quota.isUnlimited(spec.effectiveMaxGpus())).isTrue();
        assertThat(spec.effectivePriority()).isEqualTo(100);
        assertThat(spec.effectiveDepartment()).isEqualTo("default");
        assertThat(spec.effectiveNodePools()).containsExactly(new NodePoolQuota("default", 0.0));
        assertThat(p.effectiveNamespace()).isEqualTo("team-a");
    }

    @Test
    void explicitZeroIsNotTheSameAsAbsent() {
        ProjectSpec spec = new ProjectSpec();
        spec.setOverQuotaWeight(0.0);
        spec.setMaxGpus(0.0);
        spec.setPriority(0);

        assertThat(spec.effectiveOverQuotaWeight()).isZero();
        assertThat(spec.effectiveMaxGpus()).isZero();
        assertThat(Quota.isUnlimited(spec.effectiveMaxGpus())).isFalse();
        assertThat(spec.effectivePriority()).isZero();
        assertThat(spec).isNotEqualTo(new ProjectSpec());
    }

    @Test
    void blankNamespaceAndDepartmentFallBack() {
        Project p = new Project();
        p.setMetadata(new ObjectMetaBuilder().withName("team-b").build());
        p.getSpec().setNamespace(" ");
        p.getSpec().setDepartment("");

        assertThat(p.effectiveNamespace()).isEqualTo("team-b");
        assertThat(p.getSpec().effectiveDepartment()).isEqualTo("default");
    }

    @Test
    void effectiveNodePoolsIsACopyTheCallerCannotUseToEditTheSpec() {
        ProjectSpec spec = new ProjectSpec();
        spec.setNodePools(new ArrayList<>(List.of(new NodePoolQuota("a100", 2.0), new NodePoolQuota("h100", null))));

        List<NodePoolQuota> pools = spec.effectiveNodePools();
        pools.get(0).setDeservedGpus(99.0);

        assertThat(spec.getNodePools().get(0).getDeservedGpus()).isEqualTo(2.0);
        assertThat(pools.get(1).effectiveDeservedGpus()).isZero();
        assertThatThrownBy(() -> pools.add(new NodePoolQuota("x", 1.0))).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void departmentWithoutDeservedUsesItsProjectsSum() {
        DepartmentSpec spec = new DepartmentSpec();

        assertThat(spec.explicitDeservedGpus()).isEmpty();
        assertThat(spec.effectiveDeservedGpus(14.0)).isEqualTo(14.0);
        spec.setDeservedGpus(16.0);
        assertThat(spec.effectiveDeservedGpus(14.0)).isEqualTo(16.0);
        assertThat(spec.effectiveMaxGpus()).isEqualTo(Quota.UNLIMITED);
        assertThat(spec.effectiveOverQuotaWeight()).isEqualTo(1.0);
        assertThat(spec.effectivePriority()).isEqualTo(100);
    }

    @Test
    void deservedMinusOneMeansAll() {
        assertThat(Quota.isAll(-1)).isTrue();
        assertThat(Quota.isAll(0)).isFalse();
        assertThat(Quota.isUnlimited(Quota.UNLIMITED)).isTrue();
        assertThat(Quota.isUnlimited(24)).isFalse();
    }

    @Test
    void runaiJobDefaultsFollowKubernetesJob() {
        RunaiJob job = new RunaiJob();
        RunaiJobSpec spec = job.getSpec();

        assertThat(spec.effectiveBackoffLimit()).isEqualTo(6);
        assertThat(spec.podCount()).isEqualTo(1);
        assertThat(job.effectivePhase()).isEqualTo(RunaiJobPhase.PENDING);
        assertThat(RunaiJobPhase.RUNNING.isFinished()).isFalse();
        assertThat(RunaiJobPhase.FAILED.isFinished()).isTrue();
    }

    @Test
    void workersWithoutReplicasAreOneWorker() {
        PodTemplateSpec template = new PodTemplateSpec();
        RunaiJobSpec spec = new RunaiJobSpec();
        spec.setDistributedTraining(new DistributedTraining(new Workers(null, template)));

        assertThat(spec.isDistributed()).isTrue();
        assertThat(spec.podCount()).isEqualTo(1);
        assertThat(spec.podTemplate()).isSameAs(template);
    }

    @Test
    void distributedTrainingWithoutWorkersIsNotDistributed() {
        RunaiJobSpec spec = new RunaiJobSpec();
        PodTemplateSpec single = new PodTemplateSpec();
        spec.setTemplate(single);
        spec.setDistributedTraining(new DistributedTraining());

        assertThat(spec.isDistributed()).isFalse();
        assertThat(spec.podTemplate()).isSameAs(single);
    }
}
