package io.gpuq.webhook.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every real-world admission input of {@code shared/fixtures/admission-reviews} gets a well-formed
 * answer from both pod endpoints: untouched outside opted-in namespaces, and inside one a patch that
 * applies, still yields a pod, and is empty on a second pass.
 */
class AdmissionFixturesTest {

    /** Where a fixture without any namespace is placed for the opted-in pass. */
    private static final String FALLBACK_NAMESPACE = "team-training";

    @TestFactory
    List<DynamicTest> everyFixtureOutsideOptedInNamespacesIsLeftAlone() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path file : FixtureDocuments.files(SharedFixtures.fixtures("admission-reviews"))) {
            for (JsonNode doc : FixtureDocuments.documents(file)) {
                tests.add(DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
                    ObjectNode review = FixtureDocuments.asReview(doc);
                    AdmissionService service = Reviews.service(new InMemoryClusterView());
                    AdmissionOutcome mutated = service.review(AdmissionEndpoint.MUTATE_POD, review);
                    AdmissionOutcome validated = service.review(AdmissionEndpoint.VALIDATE_POD, review);
                    MutationChecks.assertWellFormed(review, mutated);
                    MutationChecks.assertWellFormed(review, validated);
                    assertThat(mutated.allowed()).isTrue();
                    assertThat(Reviews.patch(mutated)).isEmpty();
                    assertThat(validated.allowed()).isTrue();
                    assertThat(Reviews.warnings(validated)).isEmpty();
                }));
            }
        }
        assertThat(tests).hasSize(29);
        return tests;
    }

    @TestFactory
    List<DynamicTest> everyFixtureInAnOptedInNamespaceIsMutatedAndValidated() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path file : FixtureDocuments.files(SharedFixtures.fixtures("admission-reviews"))) {
            for (JsonNode doc : FixtureDocuments.documents(file)) {
                tests.add(DynamicTest.dynamicTest(file.getFileName().toString(), () -> optedIn(doc)));
            }
        }
        return tests;
    }

    private static void optedIn(JsonNode doc) {
        ObjectNode review = FixtureDocuments.asReview(doc);
        ObjectNode request = (ObjectNode) review.get("request");
        String namespace = namespaceOf(request);
        if (namespace == null) {
            namespace = FALLBACK_NAMESPACE;
            request.put("namespace", namespace);
        }
        InMemoryClusterView cluster = new InMemoryClusterView().optIn(namespace)
                .project(TestQuotas.project(namespace, 4)).pool("default", 40960, "NVIDIA-A100-SXM4-40GB");
        AdmissionService service = Reviews.service(cluster);

        ObjectNode pod = MutationChecks.mutateChecked(service, review);
        boolean create = "CREATE".equals(request.path("operation").asText("CREATE"));
        if (create && pod != null) {
            assertThat(pod.at("/spec/schedulerName").asText()).isEqualTo("runai-scheduler");
            assertThat(pod.at("/metadata/labels/runai~1queue").asText()).isEqualTo(namespace);
            assertThat(pod.at("/spec/priorityClassName").asText()).isEqualTo("train");
            assertThat(SeedManifestsTest.nodeSelectorTerms(pod)).isNotEmpty();
            request.set("object", pod);
        }
        AdmissionOutcome validated = service.review(AdmissionEndpoint.VALIDATE_POD, review);
        MutationChecks.assertWellFormed(review, validated);
        assertThat(validated.allowed()).as(String.valueOf(Reviews.message(validated))).isTrue();
    }

    private static String namespaceOf(JsonNode request) {
        String namespace = request.path("namespace").asText(null);
        if (namespace == null || namespace.isBlank()) {
            namespace = request.at("/object/metadata/namespace").asText(null);
        }
        return namespace == null || namespace.isBlank() ? null : namespace;
    }

    @Test
    void aReviewWithoutUidIsABadRequestAsItCannotBeAnswered() throws IOException {
        Path file = SharedFixtures.fixtures("admission-reviews")
                .resolve("open-policy-agent__gatekeeper-library__update-no-uid-hostprocess.yaml");
        JsonNode review = FixtureDocuments.documents(file).get(0);
        AdmissionService service = Reviews.service(new InMemoryClusterView());

        assertThatThrownBy(() -> service.review(AdmissionEndpoint.VALIDATE_POD, review))
                .isInstanceOf(BadReviewException.class)
                .hasMessage("request.uid is missing: the response must echo it");
    }

    @Test
    void v1beta1ReviewsAreAnsweredInV1beta1WithTheirUid() throws IOException {
        Path file = SharedFixtures.fixtures("admission-reviews").resolve("phenixblue__imageswap-webhook__pod01-create-v1beta1.json");
        ObjectNode review = FixtureDocuments.asReview(FixtureDocuments.documents(file).get(0));
        String namespace = review.at("/request/namespace").asText();
        AdmissionService service = Reviews.service(new InMemoryClusterView().optIn(namespace)
                .project(TestQuotas.project(namespace, 1)));

        AdmissionOutcome outcome = service.review(AdmissionEndpoint.MUTATE_POD, review);

        assertThat(outcome.responseReview().path("apiVersion").asText()).isEqualTo("admission.k8s.io/v1beta1");
        assertThat(Reviews.response(outcome).path("uid").asText()).isEqualTo(review.at("/request/uid").asText());
        assertThat(Reviews.response(outcome).path("patchType").asText()).isEqualTo("JSONPatch");
        assertThat(outcome.patched()).isTrue();
    }
}
