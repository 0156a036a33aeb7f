package io.gpuq.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.crdv2.generator.CRDGenerator;
import io.gpuq.api.crd.Department;
import io.gpuq.api.crd.Project;
import io.gpuq.api.crd.RunaiJob;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** The chart installs exactly the CRDs that the api module's model generates. */
class ChartCrdsTest {

    @Test
    void helmInstallsTheCrdsGeneratedFromTheModel(@TempDir Path out) {
        int generated = new CRDGenerator().inOutputDir(out.toFile()).forCRDVersions("v1")
                .customResourceClasses(Project.class, Department.class, RunaiJob.class).generate();
        assertThat(generated).isEqualTo(3);
        Map<String, JsonNode> expected = byName(RepoFiles.list(out, ".yml").stream().map(Yaml::read).toList());

        Map<String, JsonNode> fromHelm = byName(crdFiles(Chart.helm().show().crds().call()));
        assertThat(expected.keySet()).containsExactly("departments.run.ai", "projects.run.ai", "runaijobs.run.ai");
        assertThat(fromHelm.keySet()).as("helm show crds charts/gpuq").isEqualTo(expected.keySet());
        expected.forEach((name, crd) -> assertThat(fromHelm.get(name))
                .as("%s in charts/gpuq/crds differs from the model's; rebuild the api module", name).isEqualTo(crd));
        expected.values().forEach(crd -> assertThat(crd.path("spec").path("scope").asText()).isEqualTo("Namespaced"));
    }

    /**
     * {@code helm show crds} prints the chart's CRD files one after the other, without document
     * separators when the files have none; each file holds one object, so each top-level apiVersion
     * starts the next one.
     */
    private static List<JsonNode> crdFiles(String shown) {
        List<JsonNode> out = new java.util.ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean hasObject = false;
        for (String line : shown.split("\n", -1)) {
            if (line.startsWith("apiVersion:")) {
                if (hasObject) {
                    out.addAll(Yaml.documents(current.toString()));
                    current.setLength(0);
                }
                hasObject = true;
            }
            current.append(line).append('\n');
        }
        out.addAll(Yaml.documents(current.toString()));
        return out;
    }

    private static Map<String, JsonNode> byName(List<JsonNode> crds) {
        Map<String, JsonNode> out = new TreeMap<>();
        for (JsonNode crd : crds) {
            assertThat(crd.path("kind").asText()).isEqualTo("CustomResourceDefinition");
            out.put(crd.path("metadata").path("name").asText(), crd);
        }
        return out;
    }
}
