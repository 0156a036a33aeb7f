package io.gpuq.webhook.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gpuq.webhook.admission.AdmissionEndpoint;
import io.gpuq.webhook.testing.RawHttps;
import io.gpuq.webhook.testing.Reviews;
import io.gpuq.webhook.testing.ServerFixture;
import io.gpuq.webhook.testing.StubReviewer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;

/** The admission port over real HTTPS: routing, protocol versions, error answers, metrics and logs. */
class WebhookServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final StubReviewer REVIEWER = new StubReviewer();
    private static ServerFixture fixture;
    private static HttpClient h1;
    private static HttpClient h2;

    @BeforeAll
    static void start() {
        fixture = new ServerFixture(REVIEWER);
        h1 = fixture.client(HttpClient.Version.HTTP_1_1);
        h2 = fixture.client(HttpClient.Version.HTTP_2);
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    @Test
    void everyEndpointAnswersOverHttp11AndHttp2() throws Exception {
        for (AdmissionEndpoint e : AdmissionEndpoint.values()) {
            for (HttpClient client : List.of(h1, h2)) {
                HttpResponse<String> r = fixture.post(client, e.path(), Reviews.pod("uid-" + e, "p1"));
                assertThat(r.statusCode()).as(e + " " + client.version()).isEqualTo(200);
                assertThat(r.version()).isEqualTo(client.version());
                assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
                JsonNode body = json(r);
                assertThat(body.path("apiVersion").asText()).isEqualTo("admission.k8s.io/v1");
                assertThat(body.path("response").path("uid").asText()).isEqualTo("uid-" + e);
                assertThat(body.path("response").path("allowed").asBoolean()).isTrue();
            }
        }
    }

    @Test
    void onPortZeroEveryEventLoopServesTheOneRandomPort() throws Exception {
        Set<String> threads = ConcurrentHashMap.newKeySet();
        ServerFixture spread = new ServerFixture((endpoint, review) -> {
            threads.add(Thread.currentThread().getName());
            return REVIEWER.review(endpoint, review);
        });
        try {
            for (int i = 0; i < 8; i++) {
                // A client of its own each time, so each review comes on a new connection.
                HttpClient fresh = spread.client(HttpClient.Version.HTTP_1_1);
                assertThat(spread.post(fresh, "/mutate--v1-pod", Reviews.pod("uid-" + i, "p")).statusCode())
                        .isEqualTo(200);
            }
            assertThat(threads).as("event loops that answered").hasSize(spread.options.instances());
        } finally {
            spread.close();
        }
    }

    @Test
    void aV1beta1ReviewIsAnsweredInV1beta1() throws Exception {
        HttpResponse<String> r = fixture.post(h1, "/mutate--v1-pod",
                Reviews.pod("admission.k8s.io/v1beta1", "old-1", "team-a", "p"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r).path("apiVersion").asText()).isEqualTo("admission.k8s.io/v1beta1");
    }

    @Test
    void healthAndReadinessOnBothPorts() {
        assertThat(fixture.get(h1, fixture.uri("/healthz")).statusCode()).isEqualTo(200);
        assertThat(fixture.get(h1, fixture.uri("/readyz")).statusCode()).isEqualTo(200);
        HttpClient plain = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        assertThat(fixture.get(plain, fixture.metricsUri("/healthz")).statusCode()).isEqualTo(200);
        assertThat(fixture.get(plain, fixture.metricsUri("/readyz")).statusCode()).isEqualTo(200);
    }

    @Test
    void malformedBodiesGet400WithAStatusDocument() throws Exception {
        List<String> bodies = List.of(
                "not json at all",
                "{\"apiVersion\":",
                "[1,2,3]",
                "\"a string\"",
                "{} trailing",
                "",
                "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"Pod\",\"request\":{\"uid\":\"x\"}}",
                "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{}}",
                "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":7}}",
                "[".repeat(5000) + "]".repeat(5000),
                "{\"a\":".repeat(150) + "1" + "}".repeat(150));
        for (String body : bodies) {
            HttpResponse<String> r = fixture.post(h1, "/validate--v1-pod", body);
            assertThat(r.statusCode()).as(body.length() > 60 ? body.substring(0, 60) : body).isEqualTo(400);
            JsonNode status = json(r);
            assertThat(status.path("kind").asText()).isEqualTo("Status");
            assertThat(status.path("code").asInt()).isEqualTo(400);
            assertThat(status.path("message").asText()).isNotBlank();
        }
    }

    @Test
    void nestingIsLimitedTo100LevelsWithAClearMessage() throws Exception {
        String deep = "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"d\","
                + "\"x\":" + "[".repeat(150) + "]".repeat(150) + "}}";
        HttpResponse<String> r = fixture.post(h2, "/mutate--v1-pod", deep);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).path("message").asText()).contains("nesting deeper than 100");
        String shallow = "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"s\","
                + "\"x\":" + "[".repeat(90) + "]".repeat(90) + "}}";
        assertThat(fixture.post(h2, "/mutate--v1-pod", shallow).statusCode()).isEqualTo(200);
    }

    @Test
    void bodiesAbove3MiBGet413WithOrWithoutContentLength() throws Exception {
        byte[] big = new byte[3 * 1024 * 1024 + 1];
        java.util.Arrays.fill(big, (byte) ' ');
        HttpResponse<String> declared = ServerFixture.send(h1, HttpRequest.newBuilder(fixture.uri("/mutate--v1-pod"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(big)).build());
        assertThat(declared.statusCode()).isEqualTo(413);
        assertThat(json(declared).path("reason").asText()).isEqualTo("RequestEntityTooLarge");
        // Unknown length: HTTP/1.1 chunked and HTTP/2 data frames, counted as they arrive.
        for (HttpClient client : List.of(h1, h2)) {
            HttpResponse<String> streamed = ServerFixture.send(client, HttpRequest.newBuilder(fixture.uri("/mutate--v1-pod"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big))).build());
            assertThat(streamed.statusCode()).as(client.version().toString()).isEqualTo(413);
        }
        // Exactly at the limit is fine as far as size goes (it is then not JSON: 400, not 413).
        byte[] atLimit = java.util.Arrays.copyOf(big, 3 * 1024 * 1024);
        assertThat(ServerFixture.send(h1, HttpRequest.newBuilder(fixture.uri("/mutate--v1-pod"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(atLimit)).build()).statusCode()).isEqualTo(400);
        assertThat(fixture.post(h1, "/mutate--v1-pod", Reviews.pod("after-big", "p")).statusCode()).isEqualTo(200);
    }

    @Test
    void contentTypesOtherThanJsonGet415() throws Exception {
        for (String type : List.of("text/plain", "application/x-www-form-urlencoded", "application/yaml")) {
            HttpResponse<String> r = ServerFixture.send(h1, HttpRequest.newBuilder(fixture.uri("/mutate--v1-pod"))
                    .header("Content-Type", type)
                    .POST(HttpRequest.BodyPublishers.ofString(Reviews.pod("ct", "p"))).build());
            assertThat(r.statusCode()).as(type).isEqualTo(415);
            assertThat(json(r).path("message").asText()).contains(type);
        }
        HttpResponse<String> charset = ServerFixture.send(h1, HttpRequest.newBuilder(fixture.uri("/mutate--v1-pod"))
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(Reviews.pod("ct2", "p"))).build());
        assertThat(charset.statusCode()).isEqualTo(200);
        HttpResponse<String> none = ServerFixture.send(h1, HttpRequest.newBuilder(fixture.uri("/mutate--v1-pod"))
                .POST(HttpRequest.BodyPublishers.ofString(Reviews.pod("ct3", "p"))).build());
        assertThat(none.statusCode()).as("no content type: parsed as JSON").isEqualTo(200);
    }

    @Test
    void wrongMethodsAndPathsGet405And404() {
        assertThat(fixture.get(h1, fixture.uri("/mutate--v1-pod")).statusCode()).isEqualTo(405);
        assertThat(fixture.post(h1, "/nope", "{}").statusCode()).isEqualTo(404);
    }

    @Test
    void theApiServersTimeoutQueryAndOtherSpellingsOfAnAdmissionPathReachTheEndpoint() throws Exception {
        HttpResponse<String> query = fixture.post(h1, "/mutate--v1-pod?timeout=10s", Reviews.pod("q1", "p"));
        assertThat(query.statusCode()).isEqualTo(200);
        assertThat(json(query).path("response").path("uid").asText()).isEqualTo("q1");
        HttpResponse<String> dotted = fixture.post(h2, "/x/../mutate--v1-pod", Reviews.pod("q2", "p"));
        assertThat(dotted.statusCode()).isEqualTo(200);
        assertThat(json(dotted).path("response").path("uid").asText()).isEqualTo("q2");
    }

    @Test
    void aReviewArrivingInPiecesIsAnsweredLikeOneSentAtOnce() throws Exception {
        String body = Reviews.pod("pieces", "p");
        int third = body.length() / 3;
        List<String> pieces = List.of(body.substring(0, third), body.substring(third, 2 * third), body.substring(2 * third));
        try (RawHttps c = new RawHttps(fixture.trustingContext(), fixture.server.port())) {
            c.write("POST /mutate--v1-pod HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n");
            for (String piece : pieces) {
                c.write(piece);
                Thread.sleep(50);
            }
            RawHttps.Response declared = c.read();
            assertThat(declared.status()).isEqualTo(200);
            assertThat(JSON.readTree(declared.body()).path("response").path("uid").asText()).isEqualTo("pieces");

            c.write("POST /mutate--v1-pod HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n");
            for (String piece : pieces) {
                c.write(Integer.toHexString(piece.getBytes(StandardCharsets.UTF_8).length) + "\r\n" + piece + "\r\n");
                Thread.sleep(50);
            }
            c.write("0\r\n\r\n");
            RawHttps.Response chunked = c.read();
            assertThat(chunked.status()).isEqualTo(200);
            assertThat(JSON.readTree(chunked.body())).isEqualTo(JSON.readTree(declared.body()));
        }
    }

    @Test
    void aReviewerFailureIsADenialNotA5xx() throws Exception {
        HttpResponse<String> r = fixture.post(h2, "/validate--v1-pod", Reviews.pod("boom-uid", "boom"));
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode response = json(r).path("response");
        assertThat(response.path("uid").asText()).isEqualTo("boom-uid");
        assertThat(response.path("allowed").asBoolean()).isFalse();
        assertThat(response.path("status").path("code").asInt()).isEqualTo(500);
        assertThat(response.path("status").path("message").asText()).contains("denied rather than admitted unchecked");
        assertThat(fixture.post(h2, "/validate--v1-pod", Reviews.pod("fine", "ok")).statusCode()).isEqualTo(200);
    }

    @Test
    void metricsAreScrapedOverPlainHttp() {
        fixture.post(h1, "/mutate--v1-pod", Reviews.pod("m1", "p"));
        fixture.post(h1, "/validate--v1-pod", Reviews.pod("m2", "deny-me"));
        fixture.post(h1, "/validate--v1-pod", "garbage");
        HttpResponse<String> r = fixture.get(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(), fixture.metricsUri("/metrics"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("text/plain");
        String text = r.body();
        assertThat(text).contains("# TYPE runai_admission_requests_total counter");
        assertThat(text).containsPattern(
                "runai_admission_requests_total\\{allowed=\"true\",operation=\"CREATE\",webhook=\"mutate-pod\"} [1-9]");
        assertThat(text).containsPattern(
                "runai_admission_requests_total\\{allowed=\"false\",operation=\"CREATE\",webhook=\"validate-pod\"} [1-9]");
        assertThat(text).contains("runai_admission_requests_total{allowed=\"false\",operation=\"UPDATE\",webhook=\"validate-project\"} 0");
        assertThat(text).contains("# TYPE runai_admission_duration_seconds histogram");
        assertThat(text).contains("runai_admission_duration_seconds_bucket{webhook=\"mutate-pod\",le=\"5.0E-4\"}");
        assertThat(text).containsPattern("runai_admission_duration_seconds_count\\{webhook=\"mutate-pod\"} [1-9]");
        assertThat(text).containsPattern("runai_admission_rejected_requests_total\\{code=\"400\",webhook=\"validate-pod\"} [1-9]");
        assertThat(text).contains("jvm_memory_used_bytes");
    }

    @Test
    void denialsAreLoggedWithUidNamespaceNameOutcomeAndDuration() throws Exception {
        List<LogRecord> records = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                synchronized (records) {
                    records.add(record);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger access = Logger.getLogger(ReviewLog.LOGGER);
        access.addHandler(capture);
        try {
            fixture.post(h1, "/validate--v1-pod", Reviews.pod("admission.k8s.io/v1", "log-uid", "team-b", "deny-me"));
        } finally {
            access.removeHandler(capture);
        }
        LogRecord record;
        synchronized (records) {
            record = records.stream().filter(r -> r.getMessage().contains("log-uid")).findFirst().orElseThrow();
        }
        JsonNode line = JSON.readTree(new JsonLogFormatter().format(record));
        assertThat(line.path("level").asText()).isEqualTo("INFO");
        assertThat(line.path("uid").asText()).isEqualTo("log-uid");
        assertThat(line.path("namespace").asText()).isEqualTo("team-b");
        assertThat(line.path("name").asText()).isEqualTo("deny-me");
        assertThat(line.path("allowed").isBoolean()).isTrue();
        assertThat(line.path("allowed").asBoolean()).isFalse();
        assertThat(line.path("durationMs").isNumber()).isTrue();
        assertThat(line.path("reason").asText()).isEqualTo("denied by the stub");
        assertThat(line.path("message").asText()).contains("team-b/deny-me").contains("denied");
    }

    @Test
    void reviewsOnTheWorkerPoolAnswerTheSame() throws Exception {
        try (ServerFixture worker = new ServerFixture(new StubReviewer(), () -> true, b -> b.reviewOnWorker(true))) {
            HttpClient client = worker.client(HttpClient.Version.HTTP_2);
            HttpResponse<String> ok = worker.post(client, "/mutate--v1-pod", Reviews.pod("w1", "p"));
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(json(ok).path("response").path("uid").asText()).isEqualTo("w1");
            assertThat(worker.post(client, "/mutate--v1-pod", "{not json").statusCode()).isEqualTo(400);
            HttpResponse<String> boom = worker.post(client, "/validate--v1-pod", Reviews.pod("w2", "boom"));
            assertThat(boom.statusCode()).isEqualTo(200);
            assertThat(json(boom).path("response").path("allowed").asBoolean()).isFalse();
        }
    }

    @Test
    void nonStringAnnotationValuesAreAnsweredNotCrashedOn() throws Exception {
        String review = Reviews.pod("odd", "p").replace("\"metadata\":{\"name\":\"p\"",
                "\"metadata\":{\"annotations\":{\"gpu-fraction\":0.5,\"sleep\":3,\"flag\":true,\"nested\":{\"a\":[1]}},"
                        + "\"name\":\"p\"");
        assertThat(review).contains("\"gpu-fraction\":0.5");
        HttpResponse<String> r = fixture.post(h2, "/mutate--v1-pod", review);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r).path("response").path("uid").asText()).isEqualTo("odd");
    }
}
