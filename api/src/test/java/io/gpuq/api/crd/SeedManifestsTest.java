package io.gpuq.api.crd;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.gpuq.api.Names;
import io.gpuq.api.gpu.GpuRequest;
import io.gpuq.api.gpu.GpuRequestParser;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import static org.assertj.core.api.Assertions.assertThat;

/** The seed tutorial's manifests must apply unchanged, so they must read into the model as written. */
class SeedManifestsTest {

    static <T> T load(String resource, Class<T> type) {
        try (InputStream in = SeedManifestsTest.class.getResourceAsStream("/seed/" + resource)) {
            assertThat(in).as("test resource %s", resource).isNotNull();
            return Serialization.unmarshal(in, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static <T> T yamlRoundTrip(T value, Class<T> type) {
        return Serialization.unmarshal(Serialization.asYaml(value), type);
    }

    static <T> T jsonRoundTrip(T value, Class<T> type) {
        return Serialization.unmarshal(Serialization.asJson(value), type);
    }

    @Test
    void teamTrainingProjectReadsWithDefaultsForWhatItOmits() {
        Project p = load("project-team-training.yaml", Project.class);

        assertThat(p.getApiVersion()).isEqualTo("run.ai/v1");
        assertThat(p.getKind()).isEqualTo("Project");
        assertThat(p.getMetadata().getName()).isEqualTo("team-training");
        assertThat(p.getMetadata().getNamespace()).isEqualTo(Names.SYSTEM_NAMESPACE);
        ProjectSpec spec = p.getSpec();
        assertThat(spec.getDeservedGpus()).isEqualTo(8.0);
        assertThat(spec.getOverQuotaWeight()).isEqualTo(3.0);
        assertThat(spec.getMaxGpus()).isNull();
        assertThat(spec.getPriority()).isNull();
        assertThat(spec.effectiveMaxGpus()).isEqualTo(Quota.UNLIMITED);
        assertThat(spec.effectivePriority()).isEqualTo(100);
        assertThat(spec.effectiveDepartment()).isEqualTo("default");
        assertThat(p.effectiveNamespace()).isEqualTo("team-training");
        assertThat(spec.effectiveNodePools()).containsExactly(new NodePoolQuota("default", 8.0));
        assertThat(p.getStatus()).isNull();
    }

    @Test
    void teamInferenceProjectKeepsItsNodePool() {
        Project p = load("project-team-inference.yaml", Project.class);

        assertThat(p.getSpec().getDeservedGpus()).isEqualTo(4.0);
        assertThat(p.getSpec().getOverQuotaWeight()).isEqualTo(1.0);
        assertThat(p.getSpec().getNodePools()).containsExactly(new NodePoolQuota("inference-pool", 4.0));
        assertThat(p.getSpec().effectiveNodePools()).containsExactly(new NodePoolQuota("inference-pool", 4.0));
        assertThat(p.effectiveNamespace()).isEqualTo("team-inference");
    }

    @Test
    void seedProjectsRoundTripThroughYamlAndJson() {
        for (String file : new String[]{"project-team-training.yaml", "project-team-inference.yaml", "project-full.yaml"}) {
            Project original = load(file, Project.class);

            assertThat(yamlRoundTrip(original, Project.class)).as(file).isEqualTo(original);
            assertThat(jsonRoundTrip(original, Project.class)).as(file).isEqualTo(original);
        }
    }

    @Test
    void absentFieldsStayAbsentWhenWritten() {
        String yaml = Serialization.asYaml(load("project-team-training.yaml", Project.class));

        assertThat(yaml).contains("deservedGpus: 8.0", "overQuotaWeight: 3.0")
                .doesNotContain("maxGpus", "priority", "nodePools", "department", "status");
    }

    @Test
    void untypedReadingRecognisesTheCustomKinds() {
        Object p = Serialization.unmarshal(SeedManifestsTest.class.getResourceAsStream("/seed/project-team-inference.yaml"));
        Object j = Serialization.unmarshal(SeedManifestsTest.class.getResourceAsStream("/seed/runaijob-fsdp-training.yaml"));

        assertThat(p).isInstanceOf(Project.class);
        assertThat(j).isInstanceOf(RunaiJob.class);
    }

    @Test
    void fullProjectReadsEveryFieldAndIgnoresUnknownOnes() {
        Project p = load("project-full.yaml", Project.class);

        ProjectSpec spec = p.getSpec();
        assertThat(spec.getDeservedGpus()).isEqualTo(4.5);
        assertThat(spec.getOverQuotaWeight()).isZero();
        assertThat(spec.effectiveOverQuotaWeight()).isZero();
        assertThat(spec.getMaxGpus()).isEqualTo(-1.0);
        assertThat(spec.getPriority()).isEqualTo(125);
        assertThat(spec.effectiveDepartment()).isEqualTo("ml");
        assertThat(p.effectiveNamespace()).isEqualTo("inference-ns");
        assertThat(spec.effectiveNodePools()).extracting(NodePoolQuota::getName).containsExactly("inference-pool", "default");
        ProjectStatus status = p.getStatus();
        assertThat(status.getFairShareGpus()).isEqualTo(4.0);
        assertThat(status.getAllocatedGpus()).isEqualTo(3.5);
        assertThat(status.getAllocatedNonPreemptibleGpus()).isEqualTo(1.0);
        assertThat(status.getPendingWorkloads()).isEqualTo(2);
        assertThat(status.getConditions()).singleElement().satisfies(c -> {
            assertThat(c.getType()).isEqualTo("Ready");
            assertThat(c.getStatus()).isEqualTo("True");
        });
    }

    @Test
    void departmentFromTheDesignReadsAndRoundTrips() {
        Department d = load("department-ml.yaml", Department.class);

        assertThat(d.getSpec().explicitDeservedGpus()).hasValue(16.0);
        assertThat(d.getSpec().effectiveMaxGpus()).isEqualTo(24.0);
        assertThat(d.getSpec().effectiveOverQuotaWeight()).isEqualTo(1.0);
        assertThat(d.getSpec().effectivePriority()).isEqualTo(100);
        assertThat(yamlRoundTrip(d, Department.class)).isEqualTo(d);
    }

    @Test
    void smallInferenceJobIsOnePodWithTheSeedFraction() {
        RunaiJob job = load("runaijob-small-inference.yaml", RunaiJob.class);

        RunaiJobSpec spec = job.getSpec();
        assertThat(spec.isDistributed()).isFalse();
        assertThat(spec.podCount()).isEqualTo(1);
        assertThat(spec.podTemplate()).isSameAs(spec.getTemplate());
        assertThat(spec.getTemplate().getSpec().getSchedulerName()).isEqualTo(Names.SCHEDULER_NAME);
        Container inference = spec.getTemplate().getSpec().getContainers().get(0);
        assertThat(inference.getName()).isEqualTo("inference");
        assertThat(inference.getResources().getLimits()).containsEntry(Names.GPU_RESOURCE, new Quantity("0.5"));
        assertThat(job.effectivePhase()).isEqualTo(RunaiJobPhase.PENDING);

        GpuRequest request = GpuRequestParser.parse(podFrom(spec.podTemplate()));
        assertThat(request.kind()).isEqualTo(GpuRequest.Kind.FRACTION);
        assertThat(request.fractionMilli()).isEqualTo(500);
        assertThat(request.seedForm()).isTrue();
        assertThat(request.containerName()).isEqualTo("inference");
    }

    @Test
    void fsdpJobIsFourWorkersOfEightGpusWithTheCommonTemplateKept() {
        RunaiJob job = load("runaijob-fsdp-training.yaml", RunaiJob.class);

        RunaiJobSpec spec = job.getSpec();
        assertThat(spec.isDistributed()).isTrue();
        assertThat(spec.podCount()).isEqualTo(4);
        assertThat(spec.getDistributedTraining().getWorkers().getReplicas()).isEqualTo(4);
        assertThat(spec.getTemplate().getSpec().getSchedulerName()).isEqualTo(Names.SCHEDULER_NAME);
        assertThat(spec.getTemplate().getSpec().getContainers()).isEmpty();
        Container trainer = spec.podTemplate().getSpec().getContainers().get(0);
        assertThat(trainer.getName()).isEqualTo("trainer");
        assertThat(trainer.getCommand()).containsExactly("torchrun");
        assertThat(trainer.getArgs()).containsExactly("--nnodes=4", "--nproc_per_node=8", "train.py");

        GpuRequest request = GpuRequestParser.parse(podFrom(spec.podTemplate()));
        assertThat(request.kind()).isEqualTo(GpuRequest.Kind.WHOLE);
        assertThat(request.wholeGpus()).isEqualTo(8);
    }

    @Test
    void seedJobsRoundTrip() {
        for (String file : new String[]{"runaijob-small-inference.yaml", "runaijob-fsdp-training.yaml"}) {
            RunaiJob original = load(file, RunaiJob.class);

            assertThat(yamlRoundTrip(original, RunaiJob.class)).as(file).isEqualTo(original);
            assertThat(jsonRoundTrip(original, RunaiJob.class)).as(file).isEqualTo(original);
        }
    }

    @Test
    void jobStatusWritesPhasesAsKubernetesSpellsThem() {
        RunaiJob job = load("runaijob-small-inference.yaml", RunaiJob.class);
        RunaiJobStatus status = new RunaiJobStatus();
        status.setPhase(RunaiJobPhase.SUCCEEDED);
        status.setStartTime("2026-05-13T10:00:00Z");
        status.setCompletionTime("2026-05-13T11:00:00Z");
        job.setStatus(status);

        String yaml = Serialization.asYaml(job);

        assertThat(yaml).contains("phase: \"Succeeded\"").contains("completionTime: \"2026-05-13T11:00:00Z\"");
        RunaiJob back = yamlRoundTrip(job, RunaiJob.class);
        assertThat(back).isEqualTo(job);
        assertThat(back.effectivePhase().isFinished()).isTrue();
    }

    private static io.fabric8.kubernetes.api.model.Pod podFrom(PodTemplateSpec template) {
        return new PodBuilder().withMetadata(template.getMetadata()).withSpec(template.getSpec()).build();
    }
}
