package io.gpuq.webhook.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gpuq.webhook.WebhookSettings;
import io.gpuq.webhook.admission.AdmissionEndpoint;
import io.gpuq.webhook.admission.AdmissionService;
import io.gpuq.webhook.testing.StaticClusterView;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.gpuq.webhook.server.FixturesOverHttpsTest.OPTED_IN;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pod rules give the same answer, byte for byte, on the tree without the members they declare
 * unread as on the whole tree, for every shared fixture, every GPU manifest pod and the benchmark's
 * review, as CREATE and as UPDATE.
 */
class PrunedReviewsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ReviewJson READER = new ReviewJson(ServerOptions.DEFAULT_MAX_JSON_NESTING,
            ServerOptions.DEFAULT_MAX_BODY_BYTES);
    private static final AdmissionService SERVICE = new AdmissionService(StaticClusterView.seedLike(),
            WebhookSettings::defaults);

    @TestFactory
    List<DynamicTest> everyFixtureIsAnsweredAlikeWithoutTheUnreadMembers() throws Exception {
        List<ObjectNode> reviews = new ArrayList<>();
        for (Path file : FixturesOverHttpsTest.files(FixturesOverHttpsTest.fixtures("admission-reviews"))) {
            for (JsonNode doc : FixturesOverHttpsTest.documents(file)) {
                ObjectNode review = FixturesOverHttpsTest.asReview(doc);
                reviews.add(review);
                JsonNode object = review.path("request").path("object");
                if (object.isObject() && object.path("spec").path("containers").isArray()) {
                    reviews.add(FixturesOverHttpsTest.create(object, OPTED_IN));
                }
            }
        }
        for (Path file : FixturesOverHttpsTest.files(FixturesOverHttpsTest.fixtures("gpu-manifests"))) {
            for (JsonNode doc : FixturesOverHttpsTest.documents(file)) {
                List<JsonNode> pods = new ArrayList<>();
                FixturesOverHttpsTest.podsIn(doc, true, pods);
                pods.forEach(pod -> reviews.add(FixturesOverHttpsTest.create(pod, OPTED_IN)));
            }
        }
        reviews.add((ObjectNode) JSON.readTree(benchmarkReview()));
        for (ObjectNode review : List.copyOf(reviews)) {
            reviews.add(asUpdate(review));
        }
        List<DynamicTest> tests = new ArrayList<>();
        for (int i = 0; i < reviews.size(); i++) {
            ObjectNode review = reviews.get(i);
            for (AdmissionEndpoint endpoint : List.of(AdmissionEndpoint.MUTATE_POD, AdmissionEndpoint.VALIDATE_POD)) {
                tests.add(DynamicTest.dynamicTest("review " + i + " " + review.path("request").path("operation").asText()
                        + " to " + endpoint.metricName(), () -> sameAnswer(review, endpoint)));
            }
        }
        assertThat(tests).hasSizeGreaterThan(100);
        return tests;
    }

    @Test
    void theBenchmarkReviewIsReadWithoutItsUnreadMembers() throws Exception {
        byte[] body = benchmarkReview();
        ObjectNode pruned = ReviewTreeReader.read(body, 0, body.length, ServerOptions.DEFAULT_MAX_JSON_NESTING,
                SERVICE.unread(AdmissionEndpoint.MUTATE_POD));
        assertThat(pruned).isNotNull();
        JsonNode spec = pruned.at("/request/object/spec");
        assertThat(spec.has("volumes")).isFalse();
        assertThat(spec.has("tolerations")).isFalse();
        assertThat(spec.at("/containers/0").has("command")).isFalse();
        assertThat(spec.at("/containers/0/resources/limits").isObject()).isTrue();
        assertThat(spec.at("/containers/0/env").size()).isEqualTo(8);
        assertThat(pruned.at("/request/userInfo/username").asText()).endsWith("job-controller");
        assertThat(pruned.at("/request/userInfo").has("groups")).isFalse();
        assertThat(body.length - JSON.writeValueAsBytes(pruned).length).as("bytes left out").isGreaterThan(1500);
    }

    private static void sameAnswer(ObjectNode review, AdmissionEndpoint endpoint) throws Exception {
        byte[] body = JSON.writeValueAsBytes(review);
        JsonNode whole = READER.parseObject(body, 0, body.length);
        ObjectNode pruned = ReviewTreeReader.read(body, 0, body.length, ServerOptions.DEFAULT_MAX_JSON_NESTING,
                SERVICE.unread(endpoint));
        if (new String(body, StandardCharsets.UTF_8).chars().allMatch(c -> c < 0x80)) {
            assertThat(pruned).as("an ASCII review is read on the fast path").isNotNull();
        }
        if (pruned == null) {
            return;
        }
        String expected = JSON.writeValueAsString(SERVICE.review(endpoint, whole).responseReview());
        String actual = JSON.writeValueAsString(SERVICE.review(endpoint, pruned).responseReview());
        assertThat(actual).isEqualTo(expected);
    }

    /** The same pod as an UPDATE that adds a label, with the review's object as the old one. */
    private static ObjectNode asUpdate(ObjectNode review) {
        ObjectNode update = review.deepCopy();
        ObjectNode request = (ObjectNode) update.get("request");
        JsonNode object = request.path("object");
        if (!object.isObject()) {
            return update;
        }
        request.put("operation", "UPDATE");
        request.set("oldObject", object.deepCopy());
        JsonNode meta = object.path("metadata");
        if (meta.isObject()) {
            JsonNode labels = meta.path("labels");
            ObjectNode writable = labels.isObject() ? (ObjectNode) labels : ((ObjectNode) meta).putObject("labels");
            writable.put("gpuq.test/updated", "true");
        }
        return update;
    }

    private static byte[] benchmarkReview() throws Exception {
        return JSON.writeValueAsBytes(JSON.readTree(Files.readAllBytes(Path.of("..", "bench", "webhook", "pod-review.json"))));
    }
}
