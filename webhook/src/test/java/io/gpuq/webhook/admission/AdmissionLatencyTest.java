package io.gpuq.webhook.admission;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A guard against gross slowdowns of the review path, which runs on the event loop: a ~3 KB pod review
 * takes tens of microseconds, so the bound here is loose enough for a busy shared machine and still
 * fails if a change makes reviews an order of magnitude slower.
 */
class AdmissionLatencyTest {

    private static final int WARMUP = 5_000;
    private static final int MEASURED = 5_000;
    private static final double BOUND_MICROS = 500;

    @Test
    void aRealisticPodReviewStaysFarBelowAMillisecond() throws IOException {
        ObjectNode review = FixtureDocuments.asReview(FixtureDocuments.documents(SharedFixtures.fixtures("admission-reviews")
                .resolve("kubewarden__kubewarden-controller__kwctl-privileged-pod.json")).get(0));
        ((ObjectNode) review.at("/request/object/metadata/annotations")).put("gpu-fraction", "0.5");
        InMemoryClusterView cluster = new InMemoryClusterView().optIn("default")
                .project(TestQuotas.project("default", 4, TestQuotas.pool("default", 2), TestQuotas.pool("a100", 2)))
                .pool("default", 81920, "NVIDIA-H100-80GB-HBM3").pool("a100", 40960, "NVIDIA-A100-SXM4-40GB");
        AdmissionService service = Reviews.service(cluster);

        for (AdmissionEndpoint endpoint : new AdmissionEndpoint[]{AdmissionEndpoint.MUTATE_POD, AdmissionEndpoint.VALIDATE_POD}) {
            for (int i = 0; i < WARMUP; i++) {
                service.review(endpoint, review);
            }
            long start = System.nanoTime();
            for (int i = 0; i < MEASURED; i++) {
                service.review(endpoint, review);
            }
            double micros = (System.nanoTime() - start) / 1_000.0 / MEASURED;

            assertThat(micros).as("%s µs per review on %s", micros, endpoint).isLessThan(BOUND_MICROS);
        }
    }
}
