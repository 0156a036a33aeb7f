package io.gpuq.cli.demo;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClass;
import io.gpuq.api.Labels;
import io.gpuq.api.Names;
import io.gpuq.api.WorkloadType;
import io.gpuq.api.crd.Project;
import io.gpuq.scheduler.cost.ModelPrice;
import io.gpuq.scheduler.cost.PriceTable;
import io.gpuq.scheduler.cost.PriceTableParser;
import io.gpuq.scheduler.sim.scenario.Scenario;
import io.gpuq.scheduler.sim.scenario.ScenarioLoader;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** The seed scenario as the objects of a cluster: what the demo creates before anything runs. */
class ScenarioObjectsTest {
    private final Scenario seed = DemoScenario.load(null);
    private final ScenarioObjects objects = new ScenarioObjects(seed);

    @Test
    void theBundledScenarioIsTheSeedFileOfTheRepository() throws IOException {
        Scenario fromFile = ScenarioLoader.load(Path.of("..", "examples", "seed-16gpu.yaml"));
        assertThat(seed.workloads()).isEqualTo(fromFile.workloads());
        assertThat(seed.nodes()).isEqualTo(fromFile.nodes());
        assertThat(seed.observeAt()).containsExactly(30L, 60L, 120L, 180L, 240L);
    }

    @Test
    void nodesCarryWhatTheKubeletAndGpuFeatureDiscoveryReport() {
        List<Node> nodes = objects.nodes();
        assertThat(nodes).extracting(n -> n.getMetadata().getName()).containsExactly("h100-spot-0", "h100-spot-1");
        Node node = nodes.get(0);
        assertThat(node.getMetadata().getLabels())
                .containsEntry(Labels.GPU_PRODUCT, "NVIDIA-H100-80GB")
                .containsEntry(Labels.GPU_MEMORY_MIB, "81920")
                .containsEntry(Labels.GPU_COUNT, "8")
                .containsEntry("nvidia.com/gpu.present", "true")
                .containsEntry(Labels.CAPACITY_TYPE, "spot")
                .containsEntry("kubernetes.io/hostname", "h100-spot-0");
        assertThat(node.getStatus().getAllocatable())
                .containsEntry(Names.GPU_RESOURCE, new Quantity("8"))
                .containsEntry("cpu", new Quantity("192000m"))
                .containsEntry("memory", new Quantity("2097152Mi"));
        assertThat(node.getStatus().getConditions()).extracting("type", "status").containsExactly(tuple("Ready", "True"));
    }

    @Test
    void productNamesLookLikeGpuFeatureDiscoverysAndMatchThePriceTablesShortNames() {
        assertThat(GpuFeatureLabels.product("H100", 81920)).isEqualTo("NVIDIA-H100-80GB");
        assertThat(GpuFeatureLabels.product("A100-SXM4-40GB", 40960)).isEqualTo("NVIDIA-A100-SXM4-40GB");
        assertThat(GpuFeatureLabels.product("NVIDIA-H100-80GB-HBM3", 81920)).isEqualTo("NVIDIA-H100-80GB-HBM3");
        assertThat(GpuFeatureLabels.product("Tesla T4", 15360)).isEqualTo("Tesla-T4-15GB");
        assertThat(GpuFeatureLabels.product("", 81920)).isEmpty();
        PriceTable table = new PriceTable("USD", List.of(new ModelPrice("H100", "spot", BigDecimal.ONE)), List.of());
        assertThat(table.tableModelFor(GpuFeatureLabels.product("H100", 81920))).isEqualTo("H100");
    }

    @Test
    void everyProjectGetsAnOptedInNamespaceAndTheSystemNamespacesDoNot() {
        Map<String, Map<String, String>> labels = objects.namespaces().stream()
                .collect(Collectors.toMap(n -> n.getMetadata().getName(), n -> n.getMetadata().getLabels()));
        assertThat(labels).containsOnlyKeys("runai", "runai-reservation", "team-training", "team-inference", "team-research");
        for (String project : List.of("team-training", "team-inference", "team-research")) {
            assertThat(labels.get(project)).containsEntry(Labels.RUNAI_JOB, "true")
                    .containsEntry("kubernetes.io/metadata.name", project);
        }
        assertThat(labels.get("runai")).doesNotContainKey(Labels.RUNAI_JOB);
        assertThat(objects.namespaces()).extracting(Namespace::getKind).containsOnly("Namespace");
    }

    @Test
    void projectsKeepTheScenariosQuotasAndOrder() {
        List<Project> projects = objects.projects();
        assertThat(projects).extracting(p -> p.getMetadata().getName(), p -> p.getMetadata().getNamespace(),
                        p -> p.getSpec().getDeservedGpus(), p -> p.getSpec().getOverQuotaWeight())
                .containsExactly(tuple("team-training", "runai", 8.0, 3.0), tuple("team-inference", "runai", 4.0, 1.0),
                        tuple("team-research", "runai", 2.0, 1.0));
        assertThat(projects.get(0).getSpec().getMaxGpus()).as("unlimited").isNull();
    }

    @Test
    void thePriceConfigMapIsWhatTheSchedulerReads() throws Exception {
        ConfigMap cm = objects.priceConfigMap().orElseThrow();
        assertThat(cm.getMetadata().getName()).isEqualTo("gpuq-prices");
        assertThat(cm.getMetadata().getNamespace()).isEqualTo("runai");
        PriceTable table = PriceTableParser.parse(cm.getData().get("prices.yaml"), "test");
        assertThat(table.currency()).isEqualTo("USD");
        assertThat(table.prices()).extracting(ModelPrice::gpuModel, ModelPrice::capacityType, p -> p.perGpuHour().stripTrailingZeros().toPlainString())
                .containsExactly(tuple("H100", "spot", "1.69"), tuple("H100", "on-demand", "4"));
    }

    @Test
    void theChartsPriorityClassesAreCreated() {
        assertThat(ScenarioObjects.priorityClasses()).extracting(p -> p.getMetadata().getName(), PriorityClass::getValue)
                .containsExactly(tuple("inference", 125), tuple("interactive", 100), tuple("interactive-preemptible", 75),
                        tuple("train", 50), tuple("build", 25));
        assertThat(ScenarioObjects.priorityClasses()).allSatisfy(p -> assertThat(p.getMetadata().getLabels())
                .containsEntry(Labels.PREEMPTIBLE, Boolean.toString(WorkloadType.isPreemptible(p.getValue()))));
    }

    @Test
    void everyCrdOfTheChartIsBundledInTheJar() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("..", "charts", "gpuq", "crds"))) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactlyInAnyOrderElementsOf(ClusterSeeder.CRD_FILES);
        }
        for (String file : ClusterSeeder.CRD_FILES) {
            assertThat(ClusterSeeder.class.getResource("crds/" + file)).as(file).isNotNull();
        }
        assertThat(DemoScenario.class.getResource(DemoScenario.BUNDLED)).isNotNull();
    }
}
