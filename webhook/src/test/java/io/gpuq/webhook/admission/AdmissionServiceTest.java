package io.gpuq.webhook.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The AdmissionReview envelope: versions, uid, operations, kinds, and what counts as a bad request. */
class AdmissionServiceTest {

    private final AdmissionService service = Reviews.service(TestQuotas.seedCluster());

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "[]                                                                    | the body must be a JSON object (an AdmissionReview), got array",
            "\"text\"                                                              | the body must be a JSON object (an AdmissionReview), got \"text\"",
            "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"Pod\"}             | kind must be \"AdmissionReview\", got \"Pod\"",
            "{\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"1\"}}            | apiVersion must be \"admission.k8s.io/v1\" or \"admission.k8s.io/v1beta1\", got nothing",
            "{\"apiVersion\":\"admission.k8s.io/v2\",\"kind\":\"AdmissionReview\"} | apiVersion must be \"admission.k8s.io/v1\" or \"admission.k8s.io/v1beta1\", got \"admission.k8s.io/v2\"",
            "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\"} | request is missing or not an object",
            "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"operation\":\"CREATE\"}} | request.uid is missing: the response must echo it",
            "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":7}} | request.uid is missing: the response must echo it",
            "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"1\",\"object\":[]}} | request.object must be an object, got array",
            "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"1\",\"operation\":\"CREATE\"}} | request.object is missing for CREATE",
            "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"1\",\"operation\":5,\"object\":{}}} | request.operation must be a string, got number",
    })
    void unusableReviewsAreBadRequests(String body, String message) {
        JsonNode review = Reviews.json("{\"v\":" + body + "}").get("v");
        for (AdmissionEndpoint endpoint : AdmissionEndpoint.values()) {
            assertThatThrownBy(() -> service.review(endpoint, review))
                    .isInstanceOf(BadReviewException.class).hasMessage(message);
        }
    }

    @Test
    void theResponseEchoesTheUidInTheRequestsVersion() {
        ObjectNode review = Reviews.create(TestPods.pod().json(), "team-training");
        review.put("apiVersion", "admission.k8s.io/v1beta1");

        AdmissionOutcome outcome = service.review(AdmissionEndpoint.MUTATE_POD, review);

        assertThat(outcome.responseReview().path("apiVersion").asText()).isEqualTo("admission.k8s.io/v1beta1");
        assertThat(outcome.responseReview().path("kind").asText()).isEqualTo("AdmissionReview");
        assertThat(Reviews.response(outcome).path("uid").asText()).isEqualTo(review.at("/request/uid").asText());
        assertThat(outcome.operation()).isEqualTo("CREATE");
        assertThat(outcome.patched()).isTrue();
    }

    @ParameterizedTest
    @CsvSource({"DELETE", "CONNECT"})
    void otherOperationsPassUntouched(String operation) {
        JsonNode pod = TestPods.pod().annotation("gpu-fraction", "5").json();
        ObjectNode review = Reviews.review(operation, operation.equals("DELETE") ? null : pod, pod, "team-training",
                "alice", "Pod", "", "pods");
        for (AdmissionEndpoint endpoint : AdmissionEndpoint.values()) {
            AdmissionOutcome outcome = service.review(endpoint, review);
            assertThat(outcome.allowed()).isTrue();
            assertThat(outcome.patched()).isFalse();
            assertThat(outcome.operation()).isEqualTo(operation);
        }
    }

    @Test
    void updatesAreNotMutated() {
        JsonNode pod = TestPods.pod().json();
        AdmissionOutcome outcome = service.review(AdmissionEndpoint.MUTATE_POD,
                Reviews.update(pod, pod, "team-training", "alice"));
        assertThat(Reviews.patch(outcome)).isEmpty();
    }

    @Test
    void aReviewWithoutOperationIsTakenAsACreate() {
        ObjectNode review = Reviews.create(TestPods.pod().json(), "team-training");
        ((ObjectNode) review.get("request")).remove("operation");

        AdmissionOutcome outcome = service.review(AdmissionEndpoint.MUTATE_POD, review);

        assertThat(outcome.operation()).isEqualTo("CREATE");
        assertThat(outcome.patched()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(value = AdmissionEndpoint.class, names = {"MUTATE_POD", "VALIDATE_POD"})
    void otherKindsOnPodEndpointsPass(AdmissionEndpoint endpoint) {
        JsonNode deployment = Reviews.json("{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":"
                + "{\"name\":\"web\"},\"spec\":{\"template\":{\"spec\":{\"containers\":[]}}}}");
        AdmissionOutcome outcome = service.review(endpoint, Reviews.review("CREATE", deployment, null, "team-training",
                "alice", "Deployment", "apps", "deployments"));
        assertThat(outcome.allowed()).isTrue();
        assertThat(outcome.patched()).isFalse();
    }

    @Test
    void theKindIsMatchedCaseInsensitivelyAsSomeToolsWriteIt() {
        ObjectNode review = Reviews.review("CREATE", TestPods.pod().json(), null, "team-training", "alice", "pod", "", "pods");
        assertThat(service.review(AdmissionEndpoint.MUTATE_POD, review).patched()).isTrue();
    }

    @Test
    void podSubresourcesAreNotMutated() {
        ObjectNode review = Reviews.create(TestPods.pod().json(), "team-training");
        ((ObjectNode) review.get("request")).put("subResource", "status");
        assertThat(service.review(AdmissionEndpoint.MUTATE_POD, review).patched()).isFalse();
    }

    @Test
    void aPodSentToTheProjectEndpointIsNotJudgedAsAProject() {
        ObjectNode review = Reviews.create(TestPods.pod().json(), "runai");
        AdmissionOutcome outcome = service.review(AdmissionEndpoint.VALIDATE_PROJECT, review);
        assertThat(outcome.allowed()).isTrue();
    }

    @Test
    void denialsCarryA403StatusAndNoPatch() {
        ObjectNode review = Reviews.create(TestPods.pod().annotation("gpu-fraction", "0").json(), "team-training");

        AdmissionOutcome outcome = service.review(AdmissionEndpoint.VALIDATE_POD, review);

        JsonNode response = Reviews.response(outcome);
        assertThat(outcome.allowed()).isFalse();
        assertThat(response.path("status").path("code").asInt()).isEqualTo(403);
        assertThat(response.path("status").path("reason").asText()).isEqualTo("Forbidden");
        assertThat(response.has("patch")).isFalse();
    }
}
