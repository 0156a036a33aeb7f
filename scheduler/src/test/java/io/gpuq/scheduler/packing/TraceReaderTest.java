package io.gpuq.scheduler.packing;

import io.gpuq.scheduler.engine.model.GpuDemand;
import io.gpuq.scheduler.engine.model.NodeSelectorRequirement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TraceReaderTest {
    private static final String NODES = "sn,cpu_milli,memory_mib,gpu,model\n"
            + "n0,64000,262144,2,P100\n"
            + "n1,96000,786432,8,T4\n"
            + "n2,32000,131072,0,\n";
    private static final String POD_HEADER = "name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos\n";

    @TempDir
    Path dir;

    private Path file(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content);
        return p;
    }

    private PackingTrace load(String pods) throws IOException {
        return PackingTrace.load(file("nodes.csv", NODES), file("pods.csv", pods));
    }

    @Test
    void readsNodesAndPodsWithTheirGpuShapes() throws IOException {
        PackingTrace t = load(POD_HEADER
                + "share,6000,12288,1,460,,LS\n"
                + "one,8000,30000,1,1000,,LS\n"
                + "eight,88000,300000,8,1000,T4,BE\n"
                + "cpu,4000,8000,0,0,,LS\n"
                + "picky,4000,8000,1,500,P100|T4,LS\n");

        assertThat(t.name()).isEqualTo("pods");
        assertThat(t.nodes()).hasSize(3);
        assertThat(t.gpuCount()).isEqualTo(10);
        assertThat(t.nodes().get(1).gpuModel()).isEqualTo("T4");
        assertThat(t.nodes().get(1).labels()).containsEntry("nvidia.com/gpu.product", "T4");
        assertThat(t.nodes().get(0).gpuMemoryMiB()).isEqualTo(16_384);

        assertThat(t.pods()).extracting(TracePod::gpuMilli).containsExactly(460L, 1000L, 8000L, 0L, 500L);
        assertThat(t.pods().get(0).request().gpu()).isEqualTo(GpuDemand.fraction(460, 1));
        assertThat(t.pods().get(1).request().gpu()).isEqualTo(GpuDemand.whole(1));
        assertThat(t.pods().get(2).request().gpu()).isEqualTo(GpuDemand.whole(8));
        assertThat(t.pods().get(3).request().gpu()).isEqualTo(GpuDemand.none());
        assertThat(t.pods().get(0).request().cpuMillis()).isEqualTo(6000);
        assertThat(t.pods().get(0).request().memoryMiB()).isEqualTo(12288);
        assertThat(t.pods().get(0).request().requiredAffinity()).isEmpty();
        NodeSelectorRequirement r = t.pods().get(4).request().requiredAffinity().get(0).matchExpressions().get(0);
        assertThat(r.key()).isEqualTo("nvidia.com/gpu.product");
        assertThat(r.operator()).isEqualTo("In");
        assertThat(r.values()).containsExactly("P100", "T4");
    }

    @Test
    void theGpuSpecColumnIsOptional() throws IOException {
        PackingTrace t = load("name,cpu_milli,memory_mib,num_gpu,gpu_milli\np,1000,1000,2,1000\n");
        assertThat(t.pods()).singleElement().satisfies(p -> {
            assertThat(p.request().gpu()).isEqualTo(GpuDemand.whole(2));
            assertThat(p.request().requiredAffinity()).isEmpty();
        });
    }

    @Test
    void aMissingColumnNamesTheFileLineAndColumn() throws IOException {
        Path nodes = file("nodes.csv", "sn,cpu_milli,gpu,model\nn0,64000,2,P100\n");
        assertThatThrownBy(() -> PackingTrace.load(nodes, file("pods.csv", POD_HEADER + "p,1,1,0,0,,LS\n")))
                .isInstanceOfSatisfying(TraceFormatException.class, e -> {
                    assertThat(e.line()).isEqualTo(1);
                    assertThat(e.column()).isEqualTo("memory_mib");
                })
                .hasMessage(nodes + ":1: column 'memory_mib': missing column; the header must contain "
                        + "sn,cpu_milli,memory_mib,gpu,model (found sn,cpu_milli,gpu,model)");
    }

    @Test
    void aNonNumericValueNamesTheLineAndColumn() {
        assertThatThrownBy(() -> load(POD_HEADER + "a,1000,1000,1,500,,LS\nb,lots,1000,1,500,,LS\n"))
                .isInstanceOf(TraceFormatException.class)
                .hasMessage(dir.resolve("pods.csv") + ":3: column 'cpu_milli': 'lots' is not a number; "
                        + "a whole number >= 0 is required");
    }

    @Test
    void aNegativeValueIsRejected() throws IOException {
        Path nodes = file("nodes.csv", "sn,cpu_milli,memory_mib,gpu,model\nn0,64000,-5,2,P100\n");
        assertThatThrownBy(() -> PackingTrace.load(nodes, file("pods.csv", POD_HEADER + "p,1,1,0,0,,LS\n")))
                .isInstanceOf(TraceFormatException.class)
                .hasMessage(nodes + ":2: column 'memory_mib': -5 is negative; a whole number >= 0 is required");
    }

    @Test
    void anUnknownGpuModelListsTheModelsOfTheCluster() {
        assertThatThrownBy(() -> load(POD_HEADER + "p,1000,1000,1,500,V100|T4,LS\n"))
                .isInstanceOf(TraceFormatException.class)
                .hasMessage(dir.resolve("pods.csv") + ":2: column 'gpu_spec': unknown GPU model 'V100'; "
                        + "allowed: P100, T4 (separated by |, or empty for any)");
    }

    @Test
    void gpuMilliOutOfRangeIsRejected() {
        assertThatThrownBy(() -> load(POD_HEADER + "p,1000,1000,1,1500,,LS\n"))
                .isInstanceOf(TraceFormatException.class)
                .hasMessageContaining(":2: column 'gpu_milli': 1500 is out of range; a GPU pod needs 1..1000");
        assertThatThrownBy(() -> load(POD_HEADER + "p,1000,1000,0,300,,LS\n"))
                .isInstanceOf(TraceFormatException.class)
                .hasMessageContaining(":2: column 'gpu_milli': 300 with num_gpu 0; a CPU-only pod must have gpu_milli 0");
    }

    @Test
    void anEmptyFileIsRejected() throws IOException {
        Path empty = file("empty.csv", "");
        assertThatThrownBy(() -> PackingTrace.load(file("nodes.csv", NODES), empty))
                .isInstanceOf(TraceFormatException.class)
                .hasMessage(empty + ":1: empty file; expected a header line with the columns "
                        + "name,cpu_milli,memory_mib,num_gpu,gpu_milli");
        Path headerOnly = file("header.csv", POD_HEADER);
        assertThatThrownBy(() -> PackingTrace.load(file("nodes.csv", NODES), headerOnly))
                .isInstanceOf(TraceFormatException.class)
                .hasMessage(headerOnly + ":2: no data lines after the header; at least one is required");
    }

    @Test
    void nodeNamesMustBeUniqueAndGpuNodesNeedAModel() throws IOException {
        Path dup = file("dup.csv", "sn,cpu_milli,memory_mib,gpu,model\nn0,1,1,1,T4\nn0,1,1,1,T4\n");
        assertThatThrownBy(() -> PackingTrace.load(dup, file("pods.csv", POD_HEADER + "p,1,1,0,0,,LS\n")))
                .isInstanceOf(TraceFormatException.class)
                .hasMessage(dup + ":3: column 'sn': duplicate node name 'n0'; node names must be unique");
        Path noModel = file("nomodel.csv", "sn,cpu_milli,memory_mib,gpu,model\nn0,1,1,2,\n");
        assertThatThrownBy(() -> PackingTrace.load(noModel, file("pods.csv", POD_HEADER + "p,1,1,0,0,,LS\n")))
                .isInstanceOf(TraceFormatException.class)
                .hasMessage(noModel + ":2: column 'model': empty GPU model on a node with 2 GPUs; a model name is required");
    }

    @Test
    void quotedFieldsMayHoldCommas() throws IOException {
        PackingTrace t = load(POD_HEADER + "\"a,b\",1000,1000,1,500,\"T4\",LS\n");
        assertThat(t.pods().get(0).request().name()).isEqualTo("a,b");
    }

    @Test
    void anUnreadableFileIsAnIoError() {
        Path missing = dir.resolve("missing.csv");
        assertThatThrownBy(() -> PackingTrace.load(missing, missing))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("cannot read " + missing);
    }
}
