package io.gpuq.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The dashboards of grafana/ as Grafana and its provisioning sidecar need them. */
class DashboardsTest {

    private static final String DATASOURCE = "${datasource}";
    private static final Pattern VARIABLE_USE = Pattern.compile("\\$\\{?([A-Za-z_][A-Za-z0-9_]*)");
    /** Grafana's own variables. */
    private static final Set<String> BUILT_IN = Set.of("__rate_interval", "__range", "__interval");

    @Test
    void theFourDashboardsHaveFixedUniqueUidsAndNoId() {
        Map<String, Path> uids = new HashMap<>();
        Set<String> titles = new HashSet<>();
        for (Path file : RepoFiles.dashboards()) {
            JsonNode d = Yaml.read(file);
            assertThat(d.has("id") && d.path("id").isNull()).as("%s: \"id\": null", file).isTrue();
            String uid = d.path("uid").asText();
            assertThat(uid).as("%s uid", file).matches("gpuq-[a-z0-9-]{1,35}");
            assertThat(uids.put(uid, file)).as("uid %s used twice", uid).isNull();
            assertThat(titles.add(d.path("title").asText())).as("title of %s is unique", file).isTrue();
            assertThat(d.path("tags").toString()).contains("\"gpuq\"");
        }
        assertThat(uids.keySet()).containsExactlyInAnyOrder("gpuq-chargeback", "gpuq-queues", "gpuq-cluster-gpus", "gpuq-health");
    }

    @Test
    void everyDashboardHasTheDatasourceAndFilterVariables() {
        for (Path file : RepoFiles.dashboards()) {
            Map<String, JsonNode> vars = new HashMap<>();
            Yaml.read(file).path("templating").path("list").forEach(v -> vars.put(v.path("name").asText(), v));
            assertThat(vars).as(file.toString()).containsKeys("datasource", "project", "department", "nodepool");
            assertThat(vars.get("datasource").path("type").asText()).isEqualTo("datasource");
            assertThat(vars.get("datasource").path("query").asText()).isEqualTo("prometheus");
            for (String name : List.of("project", "department", "nodepool")) {
                JsonNode v = vars.get(name);
                assertThat(v.path("type").asText()).isEqualTo("query");
                assertThat(v.path("datasource").path("uid").asText()).as("%s variable %s", file, name).isEqualTo(DATASOURCE);
                assertThat(v.path("includeAll").asBoolean()).isTrue();
                assertThat(v.path("allValue").asText()).isEqualTo(".*");
                assertThat(v.path("definition").asText()).startsWith("label_values(");
            }
        }
    }

    @Test
    void everyPanelAndQueryUsesTheDatasourceVariable() {
        for (Path file : RepoFiles.dashboards()) {
            for (JsonNode panel : Yaml.read(file).path("panels")) {
                String where = file.getFileName() + " panel \"" + panel.path("title").asText() + "\"";
                assertThat(panel.path("datasource").path("uid").asText()).as(where).isEqualTo(DATASOURCE);
                assertThat(panel.path("datasource").path("type").asText()).as(where).isEqualTo("prometheus");
                assertThat(panel.path("targets")).as(where).isNotEmpty();
                for (JsonNode target : panel.path("targets")) {
                    assertThat(target.path("datasource").path("uid").asText()).as(where).isEqualTo(DATASOURCE);
                    assertThat(target.path("expr").asText()).as(where).isNotBlank();
                }
            }
        }
    }

    @Test
    void panelsHaveTitlesDescriptionsUniqueIdsAndDoNotOverlap() {
        for (Path file : RepoFiles.dashboards()) {
            Set<Integer> ids = new HashSet<>();
            List<int[]> boxes = new ArrayList<>();
            for (JsonNode panel : Yaml.read(file).path("panels")) {
                String title = panel.path("title").asText();
                assertThat(title).as(file.toString()).isNotBlank();
                assertThat(panel.path("description").asText()).as("%s: %s has a description", file, title).isNotBlank();
                assertThat(ids.add(panel.path("id").asInt())).as("%s: panel id of %s is unique", file, title).isTrue();
                JsonNode g = panel.path("gridPos");
                int[] box = {g.path("x").asInt(), g.path("y").asInt(), g.path("w").asInt(), g.path("h").asInt()};
                assertThat(box[0] + box[2]).as("%s: %s fits 24 columns", file, title).isLessThanOrEqualTo(24);
                assertThat(box[2] > 0 && box[3] > 0).isTrue();
                for (int[] other : boxes) {
                    boolean overlap = box[0] < other[0] + other[2] && other[0] < box[0] + box[2]
                            && box[1] < other[1] + other[3] && other[1] < box[1] + box[3];
                    assertThat(overlap).as("%s: %s overlaps another panel", file, title).isFalse();
                }
                boxes.add(box);
            }
        }
    }

    @Test
    void queriesUseOnlyDefinedVariables() {
        for (Path file : RepoFiles.dashboards()) {
            JsonNode d = Yaml.read(file);
            Set<String> defined = new HashSet<>(BUILT_IN);
            d.path("templating").path("list").forEach(v -> defined.add(v.path("name").asText()));
            List<String> exprs = new ArrayList<>();
            d.path("panels").forEach(p -> p.path("targets").forEach(t -> exprs.add(t.path("expr").asText())));
            d.path("templating").path("list").forEach(v -> exprs.add(v.path("definition").asText()));
            for (String expr : exprs) {
                Matcher m = VARIABLE_USE.matcher(expr);
                while (m.find()) {
                    assertThat(defined).as("%s: $%s in %s", file.getFileName(), m.group(1), expr).contains(m.group(1));
                }
            }
        }
    }

    @Test
    void panelsOnOptionalSourcesSaySo() {
        for (Path file : RepoFiles.dashboards()) {
            for (JsonNode panel : Yaml.read(file).path("panels")) {
                boolean usesDcgm = false;
                for (JsonNode target : panel.path("targets")) {
                    usesDcgm |= PromQl.metricNames(target.path("expr").asText()).stream()
                            .anyMatch(n -> ExportedMetrics.DCGM.contains(n) || n.equals("runai_gpu_utilization_per_project"));
                }
                if (usesDcgm) {
                    assertThat(panel.path("title").asText()).as("%s: a DCGM panel names its source", file.getFileName())
                            .contains("(DCGM)");
                    assertThat(panel.path("description").asText()).contains("DCGM");
                }
            }
        }
    }
}
