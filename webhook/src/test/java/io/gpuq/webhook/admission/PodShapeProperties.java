package io.gpuq.webhook.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gpuq.webhook.ClusterView;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.Set;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Whatever shape a pod arrives in, the webhooks answer: never an exception, a patch that applies, a
 * second pass that changes nothing, and nothing the user wrote removed except a fractional
 * {@code nvidia.com/gpu} and a stale {@code spec.priority}.
 */
class PodShapeProperties {

    private static final Pattern REMOVABLE = Pattern.compile(
            "/spec/containers/\\d+/resources/(limits|requests)/nvidia\\.com~1gpu|/spec/priority");
    private static final Set<String> REPLACEABLE = Set.of("/spec/schedulerName", "/spec/priorityClassName",
            "/metadata/labels/runai~1queue", "/metadata/labels/runai~1preemptible",
            "/metadata/annotations/runai~1quota-status");

    private final InMemoryClusterView cluster = TestQuotas.seedCluster()
            .project(TestQuotas.project("team-training", 8, TestQuotas.pool("default", 6), TestQuotas.pool("a100", 2)))
            .optIn("sandbox")
            .gang("team-training", "Job", "sweep", new ClusterView.Gang("sweep", 2));
    private final AdmissionService service = Reviews.service(cluster);

    @Provide
    Arbitrary<ObjectNode> pods() {
        return PodShapes.pods();
    }

    @Provide
    Arbitrary<String> namespaces() {
        return Arbitraries.of("team-training", "team-inference", "sandbox", "elsewhere");
    }

    @Property(tries = 1000)
    void mutationAlwaysAnswersWithAnIdempotentPatchThatApplies(@ForAll("pods") ObjectNode pod,
                                                               @ForAll("namespaces") String namespace) {
        ObjectNode review = Reviews.create(pod, namespace);
        AdmissionOutcome outcome = service.review(AdmissionEndpoint.MUTATE_POD, review);
        MutationChecks.assertWellFormed(review, outcome);
        assertThat(outcome.allowed()).isTrue();
        ArrayNode patch = Reviews.patch(outcome);

        JsonNode mutated = JsonPatchApplier.apply(pod, patch);

        for (JsonNode op : patch) {
            String path = op.path("path").asText();
            if (op.path("op").asText().equals("remove")) {
                assertThat(path).matches(REMOVABLE);
            } else if (op.path("op").asText().equals("replace")) {
                assertThat(REPLACEABLE.contains(path) || pod.at(path).isNull())
                        .as("replace of %s in %s", path, pod).isTrue();
            }
        }
        ObjectNode again = review.deepCopy();
        ((ObjectNode) again.get("request")).set("object", mutated);
        assertThat(Reviews.patch(service.review(AdmissionEndpoint.MUTATE_POD, again))).as("second pass").isEmpty();
        if (catchThrowable(() -> Reviews.asPod(pod)) == null) {
            assertThat(catchThrowable(() -> Reviews.asPod(mutated))).as("still a pod").isNull();
        }
    }

    @Property(tries = 300)
    void validationAlwaysAnswers(@ForAll("pods") ObjectNode pod, @ForAll("pods") ObjectNode old,
                                 @ForAll("namespaces") String namespace) {
        for (ObjectNode review : new ObjectNode[]{Reviews.create(pod, namespace),
                Reviews.update(pod, old, namespace, "alice")}) {
            AdmissionOutcome outcome = service.review(AdmissionEndpoint.VALIDATE_POD, review);
            MutationChecks.assertWellFormed(review, outcome);
        }
    }

    @Property(tries = 300)
    void anyObjectOnAnyEndpointIsAnsweredOrRejectedAsABadReview(@ForAll("anyJson") JsonNode object,
                                                                @ForAll("namespaces") String namespace) {
        for (AdmissionEndpoint endpoint : AdmissionEndpoint.values()) {
            ObjectNode review = Reviews.create(Reviews.JSON.createObjectNode(), namespace);
            ((ObjectNode) review.get("request")).set("object", object);
            Throwable thrown = catchThrowable(() -> MutationChecks.assertWellFormed(review, service.review(endpoint, review)));
            assertThat(thrown).satisfiesAnyOf(
                    t -> assertThat(t).isNull(),
                    t -> assertThat(t).isInstanceOf(BadReviewException.class));
        }
    }

    @Provide
    Arbitrary<JsonNode> anyJson() {
        return PodShapes.anyJson();
    }
}
