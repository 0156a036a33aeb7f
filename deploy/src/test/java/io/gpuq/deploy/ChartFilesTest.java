package io.gpuq.deploy;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * grafana/ and alerts/ are the sources; charts/gpuq/files/ holds the copies the chart packages (the
 * build's generate-resources phase writes them). A copy that differs, or is left over from a removed
 * source, fails here with the command that brings it back in line.
 */
class ChartFilesTest {

    private static final String FIX = "; run `mvn -pl deploy generate-resources` and commit charts/gpuq/files/";

    @Test
    void dashboardsInTheChartAreTheGrafanaFiles() throws IOException {
        assertSameFiles(RepoFiles.grafana(), RepoFiles.chart().resolve("files/dashboards"), ".json");
    }

    @Test
    void ruleFilesInTheChartAreTheAlertsFiles() throws IOException {
        assertSameFiles(RepoFiles.alerts(), RepoFiles.chart().resolve("files/alerts"), ".yaml");
    }

    private static void assertSameFiles(Path source, Path copy, String suffix) throws IOException {
        List<String> sources = RepoFiles.list(source, suffix).stream().map(p -> p.getFileName().toString()).toList();
        List<String> copies = RepoFiles.list(copy, suffix).stream().map(p -> p.getFileName().toString()).toList();
        assertThat(sources).isNotEmpty();
        assertThat(copies).as("files in " + copy + FIX).isEqualTo(sources);
        for (String name : sources) {
            assertThat(Files.readString(copy.resolve(name))).as(copy.resolve(name) + " differs from its source" + FIX)
                    .isEqualTo(Files.readString(source.resolve(name)));
        }
    }
}
