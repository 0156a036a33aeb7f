package io.gpuq.scheduler.packing;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The real trace, when the shared data folder is present: one seed of the default workload, where
 * the published figures are FGD 4.77% and BestFit 7.09% unallocated (median of ten seeds).
 */
class AlibabaTraceTest {
    private static final Path DATA = Path.of("../../shared/data/alibaba-gpu-v2023");
    private static PackingReport report;

    @BeforeAll
    static void run() {
        assumeTrue(Files.isRegularFile(DATA.resolve("openb_pod_list_default.csv")), "trace data not present");
        PackingTrace trace = PackingTrace.load(DATA.resolve("openb_node_list_gpu_node.csv"),
                DATA.resolve("openb_pod_list_default.csv"));
        report = new PackingBenchmark(trace).run(List.of("default", "binpack", "spread"), List.of(42L), 1.3);
    }

    @Test
    void theClusterIsTheOneThePaperUsed() {
        assertThat(report.nodes()).isEqualTo(1213);
        assertThat(report.gpus()).isEqualTo(6212);
    }

    @Test
    void fragmentationAwarePlacementBeatsThePublishedFgdFigure() {
        assertThat(report.policies().get(0).unallocatedPctAtArrived100()).isLessThan(4.77);
    }

    @Test
    void policiesRankAsExpected() {
        double fragAware = report.policies().get(0).unallocatedPctAtArrived100();
        double binpack = report.policies().get(1).unallocatedPctAtArrived100();
        double spread = report.policies().get(2).unallocatedPctAtArrived100();
        assertThat(binpack).isLessThan(7.09).isGreaterThan(fragAware);
        assertThat(spread).isGreaterThan(binpack);
    }

    @Test
    void publishedResultsReadAsTheDesignQuotesThem() {
        Path expected = DATA.resolve("fgd-expected-results/analysis_allo_discrete.csv");
        assumeTrue(Files.isRegularFile(expected), "published results not present");
        PublishedResults p = PublishedResults.read(expected);
        assertThat(p.workloads()).hasSize(17);
        assertThat(p.unallocatedAt100("openb_pod_list_default", "FGD")).isEqualTo(4.77);
        assertThat(p.unallocatedAt100("openb_pod_list_default", "BestFit")).isEqualTo(7.09);
        assertThat(p.unallocatedAt100("openb_pod_list_default", "Random")).isEqualTo(13.75);
    }
}
