package io.gpuq.scheduler.packing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PublishedResultsTest {
    @Test
    void readsTheMedianUnallocatedShareAtFullArrival(@TempDir Path dir) throws IOException {
        Path csv = dir.resolve("allo.csv");
        Files.writeString(csv, "workload,sc_policy,tune,seed,total_gpus,99,100,101\n"
                + "openb_pod_list_default,06-FGD,1.3,42,6212,94.0,95.0,96.0\n"
                + "openb_pod_list_default,06-FGD,1.3,43,6212,94.0,95.5,96.0\n"
                + "openb_pod_list_default,06-FGD,1.3,44,6212,94.0,96.0,96.0\n"
                + "openb_pod_list_default,05-BestFit,1.3,42,6212,92.0,93.0,93.5\n"
                + "openb_pod_list_cpu050,05-BestFit,1.3,42,6212,92.0,93.58,93.5\n");
        PublishedResults p = PublishedResults.read(csv);

        assertThat(p.workloads()).containsExactly("openb_pod_list_cpu050", "openb_pod_list_default");
        assertThat(p.policies("openb_pod_list_default")).containsExactly("FGD", "BestFit");
        assertThat(p.unallocatedAt100("openb_pod_list_default", "FGD")).isEqualTo(4.5);
        assertThat(p.unallocatedAt100("openb_pod_list_default", "BestFit")).isEqualTo(7.0);
        assertThat(p.unallocatedAt100("openb_pod_list_cpu050", "BestFit")).isEqualTo(6.42);
        assertThat(p.unallocatedAt100("openb_pod_list_cpu050", "FGD")).isNaN();
    }

    @Test
    void aFileWithoutTheFullArrivalColumnIsRejected(@TempDir Path dir) throws IOException {
        Path csv = dir.resolve("frag.csv");
        Files.writeString(csv, "workload,sc_policy,tune,seed,99\nw,06-FGD,1.3,42,1.0\n");
        assertThatThrownBy(() -> PublishedResults.read(csv))
                .isInstanceOf(TraceFormatException.class)
                .hasMessageContaining(":1: column '100': missing column");
    }

    @Test
    void policyNumbersAreDropped() {
        assertThat(PublishedResults.policyName("06-FGD")).isEqualTo("FGD");
        assertThat(PublishedResults.policyName("BestFit")).isEqualTo("BestFit");
        assertThat(PublishedResults.policyName("x-1")).isEqualTo("x-1");
    }
}
