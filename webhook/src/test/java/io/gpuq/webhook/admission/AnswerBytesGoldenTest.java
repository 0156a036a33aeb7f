package io.gpuq.webhook.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gpuq.api.Names;
import io.gpuq.webhook.ClusterView;
import io.gpuq.webhook.WebhookSettings;
import io.gpuq.webhook.testing.StaticClusterView;
import net.jqwik.api.Example;
import net.jqwik.api.RandomGenerator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pins the exact bytes of every answer the pod endpoints give, so that work on the speed of the rules
 * cannot change a single byte of what the API server receives: allowed, status, message, warnings and
 * the Base64 patch. The inputs are the benchmark's review, every shared admission fixture and GPU
 * manifest (outside and inside an opted-in namespace), and a fixed sample of generated pod shapes; the
 * answers are compared with {@code golden/pod-answers.txt}, recorded from the code before the work.
 *
 * <p>Run with {@code -Dgpuq.golden.record=true} to write the file anew, only when a change of the
 * answers is intended. Without the shared fixtures, only the cases that need none are compared.
 */
class AnswerBytesGoldenTest {

    private static final Path GOLDEN = Paths.get("src", "test", "resources", "golden", "pod-answers.txt");
    private static final Path BENCH_REVIEW = Paths.get("..", "bench", "webhook", "pod-review.json");
    /** Written exactly as the HTTP layer writes an answer: a plain mapper, no pretty printing. */
    private static final ObjectMapper WRITER = new ObjectMapper();
    private static final String HASHED = "sha256:";
    private static final int GENERATED_PODS = 200;
    private static final long GENERATION_SEED = 20_261_128L;
    private static final List<String> SHAPE_NAMESPACES = List.of("team-training", "team-inference", "sandbox",
            "elsewhere");

    private final Map<String, String> answers = new LinkedHashMap<>();
    private int uids;

    @Example
    void everyAnswerIsByteForByteTheRecordedOne() throws IOException {
        boolean shared = Files.isDirectory(SharedFixtures.root().resolve("fixtures"));
        benchReview();
        generatedShapes();
        if (shared) {
            admissionFixtures();
            gpuManifests();
        }
        if (Boolean.getBoolean("gpuq.golden.record")) {
            assertThat(shared).as("recording needs the shared fixtures").isTrue();
            Files.createDirectories(GOLDEN.getParent());
            List<String> lines = new ArrayList<>();
            answers.forEach((id, answer) -> lines.add(id + "\t" + answer));
            Files.write(GOLDEN, lines, StandardCharsets.UTF_8);
            return;
        }
        Map<String, String> golden = new LinkedHashMap<>();
        for (String line : Files.readAllLines(GOLDEN, StandardCharsets.UTF_8)) {
            int tab = line.indexOf('\t');
            golden.put(line.substring(0, tab), line.substring(tab + 1));
        }
        List<String> differences = new ArrayList<>();
        answers.forEach((id, answer) -> {
            String expected = golden.get(id);
            if (!answer.equals(expected)) {
                differences.add(id + "\n  expected " + expected + "\n  actual   " + answer);
            }
        });
        assertThat(differences).as("answers that differ from the recorded ones").isEmpty();
        if (shared) {
            assertThat(answers.keySet()).as("cases").containsExactlyElementsOf(golden.keySet());
        }
    }

    private void benchReview() throws IOException {
        JsonNode review = Reviews.JSON.readTree(Files.readString(BENCH_REVIEW));
        AdmissionService service = new AdmissionService(StaticClusterView.seedLike(), WebhookSettings::defaults);
        for (AdmissionEndpoint endpoint : List.of(AdmissionEndpoint.MUTATE_POD, AdmissionEndpoint.VALIDATE_POD)) {
            answers.put("bench/" + endpoint.metricName(), answer(service.review(endpoint, review)));
        }
    }

    /** The pod shapes of the property tests, drawn with a fixed seed; hashed, as they are many. */
    private void generatedShapes() {
        InMemoryClusterView cluster = TestQuotas.seedCluster()
                .project(TestQuotas.project("team-training", 8, TestQuotas.pool("default", 6), TestQuotas.pool("a100", 2)))
                .optIn("sandbox")
                .gang("team-training", "Job", "sweep", new ClusterView.Gang("sweep", 2));
        AdmissionService service = Reviews.service(cluster);
        RandomGenerator<ObjectNode> pods = PodShapes.pods().generator(1000);
        Random random = new Random(GENERATION_SEED);
        ObjectNode previous = null;
        for (int i = 0; i < GENERATED_PODS; i++) {
            ObjectNode pod = pods.next(random).value();
            String namespace = SHAPE_NAMESPACES.get(i % SHAPE_NAMESPACES.size());
            String id = "shape/" + i + "/" + hash(pod.toString()).substring(0, 16) + "/" + namespace;
            answers.put(id + "/mutate", hashed(service.review(AdmissionEndpoint.MUTATE_POD,
                    withUid(Reviews.create(pod, namespace)))));
            answers.put(id + "/validate-create", hashed(service.review(AdmissionEndpoint.VALIDATE_POD,
                    withUid(Reviews.create(pod, namespace)))));
            if (previous != null) {
                answers.put(id + "/validate-update", hashed(service.review(AdmissionEndpoint.VALIDATE_POD,
                        withUid(Reviews.update(pod, previous, namespace, "alice")))));
            }
            previous = pod;
        }
    }

    private void admissionFixtures() throws IOException {
        for (Path file : FixtureDocuments.files(SharedFixtures.fixtures("admission-reviews"))) {
            int n = 0;
            for (JsonNode doc : FixtureDocuments.documents(file)) {
                String id = "admission/" + file.getFileName() + "/" + n++;
                ObjectNode review = withUid(FixtureDocuments.asReview(doc));
                AdmissionService outside = Reviews.service(new InMemoryClusterView());
                answers.put(id + "/outside/mutate", answer(outside.review(AdmissionEndpoint.MUTATE_POD, review)));
                answers.put(id + "/outside/validate", answer(outside.review(AdmissionEndpoint.VALIDATE_POD, review)));

                ObjectNode request = (ObjectNode) review.get("request");
                String namespace = request.path("namespace").asText("");
                if (namespace.isBlank()) {
                    namespace = review.at("/request/object/metadata/namespace").asText("");
                }
                if (namespace.isBlank()) {
                    namespace = "team-training";
                    request.put("namespace", namespace);
                }
                InMemoryClusterView cluster = new InMemoryClusterView().optIn(namespace)
                        .project(TestQuotas.project(namespace, 4)).pool("default", 40960, "NVIDIA-A100-SXM4-40GB");
                inside(id + "/inside", Reviews.service(cluster), review);
            }
        }
    }

    private void gpuManifests() throws IOException {
        String namespace = "ml-team";
        WebhookSettings defaults = WebhookSettings.defaults();
        WebhookSettings mps = new WebhookSettings(defaults.optInLabelKey(), defaults.optInLabelValue(),
                defaults.schedulerName(), true, defaults.defaultWorkloadType(), Set.of(Names.DEFAULT_NODE_POOL),
                defaults.systemNamespace(), defaults.schedulerUsers());
        for (Path file : FixtureDocuments.files(SharedFixtures.fixtures("gpu-manifests"))) {
            int n = 0;
            for (JsonNode doc : FixtureDocuments.documents(file)) {
                for (PodTemplates.Template template : PodTemplates.in(doc)) {
                    String id = "manifest/" + file.getFileName() + "/" + n++ + template.path();
                    ObjectNode pod = template.pod();
                    JsonNode workload = template.workload();
                    if (workload != null && !"Pod".equals(workload.path("kind").asText())) {
                        ObjectNode owner = ((ObjectNode) pod.get("metadata")).putArray("ownerReferences").addObject();
                        owner.put("apiVersion", workload.path("apiVersion").asText());
                        owner.put("kind", workload.path("kind").asText());
                        owner.put("name", workload.at("/metadata/name").asText("workload"));
                        owner.put("controller", true);
                    }
                    InMemoryClusterView cluster = new InMemoryClusterView().optIn(namespace)
                            .project(TestQuotas.forNamespace(TestQuotas.project("ml", 16), namespace))
                            .pool(Names.DEFAULT_NODE_POOL, 81920, "NVIDIA-H100-80GB-HBM3");
                    if (workload != null) {
                        cluster.gang(namespace, workload.path("kind").asText(),
                                workload.at("/metadata/name").asText("workload"),
                                new ClusterView.Gang(workload.at("/metadata/name").asText("workload"), 3));
                    }
                    ObjectNode review = withUid(Reviews.create(pod, namespace));
                    inside(id, Reviews.service(cluster), review);
                    inside(id + "/mps", Reviews.service(cluster, () -> mps), review);
                }
            }
        }
    }

    /** Mutation, validation of the admitted object, and validation of the object once mutated. */
    private void inside(String id, AdmissionService service, ObjectNode review) {
        AdmissionOutcome mutated = service.review(AdmissionEndpoint.MUTATE_POD, review);
        answers.put(id + "/mutate", answer(mutated));
        answers.put(id + "/validate", answer(service.review(AdmissionEndpoint.VALIDATE_POD, review)));
        JsonNode object = review.path("request").path("object");
        if (mutated.patched() && object.isObject()) {
            ObjectNode again = review.deepCopy();
            ((ObjectNode) again.get("request")).set("object", Reviews.mutated(object, mutated));
            answers.put(id + "/validate-mutated", answer(service.review(AdmissionEndpoint.VALIDATE_POD, withUid(again))));
        }
    }

    private ObjectNode withUid(ObjectNode review) {
        ((ObjectNode) review.get("request")).put("uid", "golden-" + uids++);
        return review;
    }

    private static String answer(AdmissionOutcome outcome) {
        return outcome.allowed() + " " + outcome.operation() + " " + outcome.patched() + " "
                + new String(bytes(outcome), StandardCharsets.UTF_8);
    }

    private static String hashed(AdmissionOutcome outcome) {
        return HASHED + hash(outcome.allowed() + " " + outcome.operation() + " " + outcome.patched() + " "
                + new String(bytes(outcome), StandardCharsets.UTF_8));
    }

    private static byte[] bytes(AdmissionOutcome outcome) {
        try {
            return WRITER.writeValueAsBytes(outcome.responseReview());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String hash(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
