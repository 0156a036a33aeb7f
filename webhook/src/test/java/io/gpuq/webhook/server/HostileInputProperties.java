package io.gpuq.webhook.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gpuq.webhook.WebhookSettings;
import io.gpuq.webhook.admission.AdmissionEndpoint;
import io.gpuq.webhook.admission.AdmissionService;
import io.gpuq.webhook.testing.Reviews;
import io.gpuq.webhook.testing.ServerFixture;
import io.gpuq.webhook.testing.StaticClusterView;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random bytes and random review-shaped JSON sent over HTTPS to the real admission rules: the answer is
 * always 200 with a well-formed review for the request's uid, or a 4xx; never a 5xx, never a hang.
 */
class HostileInputProperties {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static ServerFixture fixture;
    private static HttpClient h1;
    private static HttpClient h2;

    @BeforeContainer
    static void start() {
        fixture = new ServerFixture(new AdmissionService(StaticClusterView.seedLike(), WebhookSettings::defaults),
                () -> true, b -> b);
        h1 = fixture.client(HttpClient.Version.HTTP_1_1);
        h2 = fixture.client(HttpClient.Version.HTTP_2);
    }

    @AfterContainer
    static void stop() {
        try {
            assertThat(fixture.post(h1, "/mutate--v1-pod", Reviews.pod("admission.k8s.io/v1", "final", "team-training", "p"))
                    .statusCode()).as("still serving after the fuzzing").isEqualTo(200);
        } finally {
            fixture.close();
        }
    }

    private static HttpResponse<String> send(boolean http2, AdmissionEndpoint endpoint, byte[] body, String contentType) {
        HttpRequest.Builder b = HttpRequest.newBuilder(fixture.uri(endpoint.path()))
                .timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return ServerFixture.send(http2 ? h2 : h1, b.build());
    }

    @Property(tries = 300)
    void randomBytesGet200Or4xx(@ForAll("bytes") byte[] body, @ForAll AdmissionEndpoint endpoint,
                                @ForAll("contentTypes") String contentType, @ForAll boolean http2) throws Exception {
        HttpResponse<String> r = send(http2, endpoint, body, contentType.isEmpty() ? null : contentType);
        assertThat(r.statusCode()).isIn(200, 400, 413, 415);
        checkWellFormed(r, null);
    }

    @Property(tries = 400)
    void randomReviewShapedJsonGet200Or400(@ForAll("reviews") Map<String, Object> review,
                                           @ForAll AdmissionEndpoint endpoint, @ForAll boolean http2) throws Exception {
        HttpResponse<String> r = send(http2, endpoint, JSON.writeValueAsBytes(review), "application/json");
        assertThat(r.statusCode()).isIn(200, 400);
        Object request = review.get("request");
        Object uid = request instanceof Map<?, ?> m ? m.get("uid") : null;
        checkWellFormed(r, uid instanceof String s ? s : null);
    }

    private static void checkWellFormed(HttpResponse<String> r, String uid) throws Exception {
        JsonNode body = JSON.readTree(r.body());
        if (r.statusCode() != 200) {
            assertThat(body.path("kind").asText()).isEqualTo("Status");
            assertThat(body.path("code").asInt()).isEqualTo(r.statusCode());
            return;
        }
        assertThat(body.path("kind").asText()).isEqualTo("AdmissionReview");
        assertThat(body.path("apiVersion").asText()).isIn("admission.k8s.io/v1", "admission.k8s.io/v1beta1");
        JsonNode response = body.path("response");
        assertThat(response.path("allowed").isBoolean()).isTrue();
        if (uid != null) {
            assertThat(response.path("uid").asText()).isEqualTo(uid);
        }
        if (response.has("patch")) {
            assertThat(response.path("patchType").asText()).isEqualTo("JSONPatch");
            assertThat(JSON.readTree(Base64.getDecoder().decode(response.path("patch").asText())).isArray()).isTrue();
        }
    }

    @Provide
    Arbitrary<byte[]> bytes() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(3000);
        Arbitrary<byte[]> jsonish = Arbitraries.strings().withChars("{}[]\":,0123456789.-eEtrufalsn \\u")
                .ofMaxLength(400).map(s -> s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return Arbitraries.oneOf(random, jsonish);
    }

    @Provide
    Arbitrary<String> contentTypes() {
        return Arbitraries.of("", "application/json", "application/json; charset=utf-8", "text/plain",
                "application/merge-patch+json", "multipart/form-data; boundary=x", ";;;", "application/JSON");
    }

    /** Trees that look like AdmissionReviews, with each part sometimes missing, mistyped or odd. */
    @Provide
    Arbitrary<Map<String, Object>> reviews() {
        Arbitrary<Object> leaf = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(12).map(s -> (Object) s),
                Arbitraries.integers().map(i -> (Object) i),
                Arbitraries.doubles().map(d -> (Object) d),
                Arbitraries.of(true, false).map(b -> (Object) b),
                Arbitraries.just(null));
        Arbitrary<Object> anyValue = Arbitraries.recursive(() -> leaf,
                v -> Arbitraries.oneOf(v.list().ofMaxSize(3).map(l -> (Object) l),
                        Arbitraries.maps(Arbitraries.strings().alpha().ofMaxLength(6), v).ofMaxSize(3).map(m -> (Object) m)),
                0, 3);
        Arbitrary<Object> annotationValue = Arbitraries.oneOf(
                Arbitraries.of("0.5", "1", "0", "-1", "abc", "1e9", "20000", "0,2", "").map(s -> (Object) s),
                anyValue);
        Arbitrary<Object> annotations = Arbitraries.maps(
                Arbitraries.of("gpu-fraction", "gpu-memory", "gpu-fraction-num-devices", "runai/gpu-devices",
                        "runai/gpu-fraction", "pod-group-name", "runai/pod-group-min-member", "other"),
                annotationValue).ofMaxSize(4).map(m -> (Object) m);
        Arbitrary<Object> gpu = Arbitraries.oneOf(
                Arbitraries.of("0.5", "1", "2", "0", "-1", "1.5", "x", "500m").map(s -> (Object) s), anyValue);
        Arbitrary<Object> container = Combinators.combine(Arbitraries.of("main", "side"), gpu, anyValue)
                .as((name, g, extra) -> {
                    Map<String, Object> c = new HashMap<>();
                    c.put("name", name);
                    c.put("image", "busybox");
                    c.put("resources", Map.of("limits", new HashMap<>(Map.of("nvidia.com/gpu", g == null ? "1" : g))));
                    c.put("env", extra);
                    return (Object) c;
                });
        Arbitrary<Object> pod = Combinators.combine(annotations, container.list().ofMaxSize(3), anyValue,
                        Arbitraries.of("team-training", "team-inference", "nowhere", "runai"))
                .as((ann, containers, spec, ns) -> {
                    Map<String, Object> meta = new HashMap<>();
                    meta.put("name", "p");
                    meta.put("namespace", ns);
                    meta.put("annotations", ann);
                    Map<String, Object> s = new HashMap<>();
                    s.put("containers", containers);
                    s.put("nodeSelector", spec);
                    return (Object) new HashMap<>(Map.of("apiVersion", "v1", "kind", "Pod", "metadata", meta, "spec", s));
                });
        Arbitrary<Object> object = Arbitraries.oneOf(pod, anyValue);
        Arbitrary<Object> uid = Arbitraries.oneOf(Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8)
                .map(s -> (Object) s), anyValue);
        Arbitrary<Object> request = Combinators.combine(uid, object,
                        Arbitraries.of("CREATE", "UPDATE", "DELETE", "CONNECT", "PATCH", ""),
                        Arbitraries.of("team-training", "team-inference", "nowhere"),
                        Arbitraries.of(List.of("", "v1", "Pod"), List.of("run.ai", "v1", "Project"),
                                List.of("run.ai", "v1", "Department"), List.of("apps", "v1", "Deployment")))
                .as((u, o, op, ns, gvk) -> {
                    Map<String, Object> req = new HashMap<>();
                    req.put("uid", u);
                    req.put("object", o);
                    req.put("operation", op);
                    req.put("namespace", ns);
                    req.put("kind", Map.of("group", gvk.get(0), "version", gvk.get(1), "kind", gvk.get(2)));
                    req.put("userInfo", Map.of("username", "alice"));
                    return (Object) req;
                });
        return Combinators.combine(
                        Arbitraries.of("admission.k8s.io/v1", "admission.k8s.io/v1beta1", "v1", ""),
                        Arbitraries.of("AdmissionReview", "Pod", ""),
                        Arbitraries.oneOf(request, anyValue))
                .as((apiVersion, kind, req) -> {
                    Map<String, Object> review = new HashMap<>();
                    review.put("apiVersion", apiVersion);
                    review.put("kind", kind);
                    review.put("request", req);
                    return review;
                });
    }
}
