package io.gpuq.webhook.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/** The contract every mutation answer must meet, checked the way the API server would use it. */
final class MutationChecks {

    private MutationChecks() {
    }

    /**
     * Sends the review to the mutating endpoint and checks the answer: the review itself untouched, the
     * answer well formed and allowed, its patch applies, the result is still a pod, and mutating the
     * result again changes nothing.
     *
     * @return the pod after the patch
     */
    static ObjectNode mutateChecked(AdmissionService service, ObjectNode review) {
        ObjectNode sent = review.deepCopy();
        AdmissionOutcome outcome = service.review(AdmissionEndpoint.MUTATE_POD, review);
        assertThat(review).as("the review the webhook was given is left as it was").isEqualTo(sent);
        assertWellFormed(review, outcome);
        assertThat(outcome.allowed()).as("the mutating webhook admits").isTrue();
        JsonNode object = review.path("request").path("object");
        if (!object.isObject()) {
            assertThat(Reviews.patch(outcome)).isEmpty();
            return null;
        }
        ObjectNode patched = Reviews.mutated(object, outcome);
        assertThatCode(() -> Reviews.asPod(patched)).as("patched pod parses").doesNotThrowAnyException();

        ObjectNode again = review.deepCopy();
        ((ObjectNode) again.get("request")).set("object", patched);
        AdmissionOutcome second = service.review(AdmissionEndpoint.MUTATE_POD, again);
        assertThat(Reviews.patch(second)).as("mutating the mutated pod again").isEmpty();
        assertThat(outcome.patched()).isEqualTo(!Reviews.patch(outcome).isEmpty());
        return patched;
    }

    static void assertWellFormed(JsonNode review, AdmissionOutcome outcome) {
        JsonNode answer = outcome.responseReview();
        assertThat(answer.path("apiVersion").asText()).isEqualTo(review.path("apiVersion").asText());
        assertThat(answer.path("kind").asText()).isEqualTo("AdmissionReview");
        JsonNode response = answer.path("response");
        assertThat(response.path("uid").asText()).isEqualTo(review.path("request").path("uid").asText());
        assertThat(response.path("allowed").isBoolean()).isTrue();
        assertThat(response.path("allowed").asBoolean()).isEqualTo(outcome.allowed());
        if (!outcome.allowed()) {
            assertThat(response.path("status").path("code").asInt()).isEqualTo(403);
            assertThat(response.path("status").path("message").asText()).isNotBlank();
            assertThat(response.has("patch")).isFalse();
        }
        if (response.has("patch")) {
            assertThat(response.path("patchType").asText()).isEqualTo("JSONPatch");
        }
    }
}
