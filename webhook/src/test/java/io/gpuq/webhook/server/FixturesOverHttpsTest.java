package io.gpuq.webhook.server;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.zjsonpatch.JsonPatch;
import io.gpuq.webhook.WebhookSettings;
import io.gpuq.webhook.admission.AdmissionService;
import io.gpuq.webhook.testing.ServerFixture;
import io.gpuq.webhook.testing.StaticClusterView;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every shared admission fixture and every pod of the shared GPU manifests, sent over real HTTPS to the
 * real rules as the API server would: a well-formed answer in the request's apiVersion; a returned patch
 * applies cleanly and leaves a valid pod; the webhook asked again about its own output patches nothing;
 * the patched pod gets a validation answer too.
 */
class FixturesOverHttpsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    /** Opted in, with a Project, in the fixed cluster. */
    static final String OPTED_IN = "team-training";
    private static ServerFixture fixture;
    private static List<HttpClient> clients;

    @BeforeAll
    static void start() {
        fixture = new ServerFixture(new AdmissionService(StaticClusterView.seedLike(), WebhookSettings::defaults),
                () -> true, b -> b);
        clients = List.of(fixture.client(HttpClient.Version.HTTP_1_1), fixture.client(HttpClient.Version.HTTP_2));
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    static Path fixtures(String folder) {
        Path path = Paths.get("..", "..", "shared", "fixtures", folder).toAbsolutePath().normalize();
        assumeTrue(Files.isDirectory(path), "shared fixtures not present at " + path);
        return path;
    }

    static List<Path> files(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.filter(p -> p.toString().endsWith(".json") || p.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    static List<JsonNode> documents(Path file) throws IOException {
        if (file.toString().endsWith(".json")) {
            return List.of(JSON.readTree(file.toFile()));
        }
        List<JsonNode> out = new ArrayList<>();
        try (JsonParser parser = YAML.getFactory().createParser(Files.readString(file));
             MappingIterator<JsonNode> docs = YAML.readValues(parser, JsonNode.class)) {
            while (docs.hasNext()) {
                JsonNode doc = docs.next();
                if (doc != null && doc.isObject() && !doc.isEmpty()) {
                    out.add(doc);
                }
            }
        }
        return out;
    }

    /** The fixture shapes of SOURCES.md made into full reviews; a missing uid is added, as it allows. */
    static ObjectNode asReview(JsonNode doc) {
        ObjectNode review;
        if ("AdmissionReview".equals(doc.path("kind").asText())) {
            review = doc.deepCopy();
        } else if ("Pod".equals(doc.path("kind").asText())) {
            review = create(doc.deepCopy(), OPTED_IN);
        } else {
            review = JSON.createObjectNode().put("apiVersion", "admission.k8s.io/v1").put("kind", "AdmissionReview");
            review.set("request", doc.deepCopy());
        }
        ObjectNode request = (ObjectNode) review.get("request");
        if (!request.hasNonNull("uid")) {
            request.put("uid", UUID.randomUUID().toString());
        }
        return review;
    }

    static ObjectNode create(JsonNode pod, String namespace) {
        ObjectNode review = JSON.createObjectNode().put("apiVersion", "admission.k8s.io/v1").put("kind", "AdmissionReview");
        ObjectNode request = review.putObject("request").put("uid", UUID.randomUUID().toString())
                .put("namespace", namespace).put("operation", "CREATE");
        request.putObject("kind").put("group", "").put("version", "v1").put("kind", "Pod");
        request.putObject("resource").put("group", "").put("version", "v1").put("resource", "pods");
        request.putObject("userInfo").put("username", "system:serviceaccount:kube-system:job-controller");
        ObjectNode object = pod.deepCopy();
        object.put("apiVersion", "v1").put("kind", "Pod");
        ObjectNode meta = object.has("metadata") && object.get("metadata").isObject()
                ? (ObjectNode) object.get("metadata") : object.putObject("metadata");
        meta.put("namespace", namespace);
        request.set("object", object);
        return review;
    }

    /** Pods a manifest would create: the Pod itself or every nested pod template. */
    static void podsIn(JsonNode node, boolean root, List<JsonNode> out) {
        if (node.isObject()) {
            if ("Pod".equals(node.path("kind").asText()) && root) {
                out.add(node);
                return;
            }
            if (!root && node.path("spec").path("containers").isArray()) {
                out.add(node);
                return;
            }
            node.properties().forEach(e -> podsIn(e.getValue(), false, out));
        } else if (node.isArray()) {
            node.forEach(n -> podsIn(n, false, out));
        }
    }

    @TestFactory
    List<DynamicTest> everyAdmissionFixture() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path file : files(fixtures("admission-reviews"))) {
            List<JsonNode> docs = documents(file);
            for (int i = 0; i < docs.size(); i++) {
                ObjectNode review = asReview(docs.get(i));
                String name = file.getFileName() + (docs.size() > 1 ? "#" + i : "");
                tests.add(DynamicTest.dynamicTest(name, () -> roundTrip(review, tests.size())));
                JsonNode object = review.path("request").path("object");
                String op = review.path("request").path("operation").asText("CREATE");
                if (object.isObject() && object.path("spec").path("containers").isArray() && op.equals("CREATE")) {
                    // The same pod arriving in an opted-in namespace, where the rules act on it.
                    tests.add(DynamicTest.dynamicTest(name + " in " + OPTED_IN,
                            () -> roundTrip(create(object, OPTED_IN), tests.size())));
                }
            }
        }
        assertThat(tests).hasSizeGreaterThanOrEqualTo(29);
        return tests;
    }

    @TestFactory
    List<DynamicTest> everyGpuManifestPod() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path file : files(fixtures("gpu-manifests"))) {
            for (JsonNode doc : documents(file)) {
                List<JsonNode> pods = new ArrayList<>();
                podsIn(doc, true, pods);
                for (JsonNode pod : pods) {
                    int n = tests.size();
                    tests.add(DynamicTest.dynamicTest(file.getFileName() + " pod " + n,
                            () -> roundTrip(create(pod, OPTED_IN), n)));
                }
            }
        }
        assertThat(tests).hasSizeGreaterThanOrEqualTo(20);
        return tests;
    }

    private static void roundTrip(ObjectNode review, int index) throws Exception {
        HttpClient client = clients.get(index % clients.size());
        String uid = review.path("request").path("uid").asText();
        String apiVersion = review.path("apiVersion").asText();

        JsonNode mutation = answer(client, "/mutate--v1-pod", review, uid, apiVersion);
        JsonNode object = review.path("request").path("object");
        JsonNode admitted = object;
        JsonNode patch = patchOf(mutation);
        if (patch != null && !patch.isEmpty()) {
            assertThat(object.isObject()).as("a patch needs an object to patch").isTrue();
            admitted = JsonPatch.apply(patch, object);
            Pod pod = JSON.treeToValue(admitted, Pod.class);
            assertThat(pod.getSpec().getContainers()).as("the patch keeps every container")
                    .hasSize(object.path("spec").path("containers").size());
            assertThat(pod.getMetadata().getNamespace()).isEqualTo(object.path("metadata").path("namespace").asText(null));

            ObjectNode again = review.deepCopy();
            ((ObjectNode) again.get("request")).set("object", admitted);
            ((ObjectNode) again.get("request")).put("uid", uid + "-again");
            JsonNode second = answer(client, "/mutate--v1-pod", again, uid + "-again", apiVersion);
            JsonNode secondPatch = patchOf(second);
            assertThat(secondPatch == null || secondPatch.isEmpty())
                    .as("re-invoked on its own output, the webhook patches nothing, but sent %s", secondPatch).isTrue();
        }
        ObjectNode validate = review.deepCopy();
        ((ObjectNode) validate.get("request")).set("object", admitted);
        answer(client, "/validate--v1-pod", validate, uid, apiVersion);
    }

    private static JsonNode answer(HttpClient client, String path, ObjectNode review, String uid, String apiVersion)
            throws Exception {
        HttpResponse<String> r = fixture.post(client, path, JSON.writeValueAsString(review));
        assertThat(r.statusCode()).as("%s answered %s", path, r.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.path("apiVersion").asText()).isEqualTo(apiVersion);
        assertThat(body.path("kind").asText()).isEqualTo("AdmissionReview");
        JsonNode response = body.path("response");
        assertThat(response.path("uid").asText()).isEqualTo(uid);
        assertThat(response.path("allowed").isBoolean()).isTrue();
        if (!response.path("allowed").asBoolean()) {
            assertThat(response.path("status").path("message").asText()).as("a denial says why").isNotBlank();
            assertThat(response.path("status").path("code").asInt()).as("not an internal error").isNotEqualTo(500);
        }
        return response;
    }

    private static JsonNode patchOf(JsonNode response) throws IOException {
        if (!response.has("patch")) {
            return null;
        }
        assertThat(response.path("patchType").asText()).isEqualTo("JSONPatch");
        JsonNode patch = JSON.readTree(Base64.getDecoder().decode(response.path("patch").asText()));
        assertThat(patch.isArray()).isTrue();
        return patch;
    }
}
