package io.gpuq.webhook.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gpuq.webhook.WebhookSettings;
import io.gpuq.webhook.admission.AdmissionEndpoint;
import io.gpuq.webhook.admission.AdmissionOutcome;
import io.gpuq.webhook.admission.AdmissionReviewer;
import io.gpuq.webhook.admission.AdmissionService;
import io.gpuq.webhook.admission.JsonPruning;
import io.gpuq.webhook.server.AdmissionMetrics;
import io.gpuq.webhook.server.ServerOptions;
import io.gpuq.webhook.server.WebhookServer;
import io.gpuq.webhook.testing.StaticClusterView;
import io.gpuq.webhook.testing.TestCertificates;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.PemKeyCertOptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The servers of the webhook load benchmark (bench/webhook/run.sh), in one JVM on loopback:
 * <ol>
 *   <li>{@code real}: the {@link WebhookServer} running the real {@link AdmissionService} over a fixed
 *       cluster;</li>
 *   <li>{@code baseline}: a do-nothing Vert.x HTTPS server with the same TLS and event-loop settings that
 *       reads the body and answers a fixed AdmissionReview, the real server's own answer to the benchmark
 *       review, so both send the same bytes;</li>
 *   <li>{@code layer}: the same {@link WebhookServer} with a reviewer that returns that fixed answer
 *       (with the request's uid), reading the review as the real server does, which separates the cost of
 *       the HTTP layer (routing, limits, JSON parse and write, metrics) from the cost of the admission
 *       rules.</li>
 * </ol>
 * Writes {@code ports} (real=, baseline=, layer=, metrics=) and {@code body.json} (the compact review) to
 * the given folder, then serves until the process is stopped.
 *
 * <p>Arguments: output folder, review JSON file, event loops.
 */
public final class WebhookBenchServers {

    private WebhookBenchServers() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Path reviewFile = Path.of(args[1]);
        int loops = args.length > 2 ? Integer.parseInt(args[2]) : Runtime.getRuntime().availableProcessors();
        Files.createDirectories(dir);
        Path cert = dir.resolve("tls.crt");
        Path key = dir.resolve("tls.key");
        TestCertificates.Issued ca = TestCertificates.ca("gpuq bench CA");
        TestCertificates.leaf(ca, "localhost").writeTo(cert, key);

        ObjectMapper json = new ObjectMapper();
        JsonNode review = json.readTree(reviewFile.toFile());
        byte[] body = json.writeValueAsBytes(review);
        Files.write(dir.resolve("body.json"), body);

        StaticClusterView cluster = StaticClusterView.seedLike();
        AdmissionService service = new AdmissionService(cluster, WebhookSettings::defaults);
        AdmissionOutcome outcome = service.review(AdmissionEndpoint.MUTATE_POD, review);
        byte[] fixedAnswer = json.writeValueAsBytes(outcome.responseReview());
        if (!outcome.allowed() || !outcome.patched()) {
            throw new IllegalStateException("the benchmark review should be allowed with a patch: "
                    + outcome.responseReview());
        }

        Vertx realVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops));
        WebhookServer real = new WebhookServer(realVertx, ServerOptions.builder(cert, key)
                .host("127.0.0.1").port(0).metricsHost("127.0.0.1").metricsPort(0).instances(loops).build(),
                service, cluster::synced, new AdmissionMetrics());
        real.start().await(30, TimeUnit.SECONDS);

        Vertx workerVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops));
        WebhookServer worker = new WebhookServer(workerVertx, ServerOptions.builder(cert, key)
                .host("127.0.0.1").port(0).metricsHost("127.0.0.1").metricsPort(0).instances(loops)
                .reviewOnWorker(true).build(), service, cluster::synced, new AdmissionMetrics());
        worker.start().await(30, TimeUnit.SECONDS);

        ObjectNode template = outcome.responseReview();
        AdmissionReviewer fixed = new AdmissionReviewer() {
            @Override
            public AdmissionOutcome review(AdmissionEndpoint endpoint, JsonNode r) {
                ObjectNode answerDoc = template.deepCopy();
                ((ObjectNode) answerDoc.get("response")).put("uid", r.path("request").path("uid").asText());
                return new AdmissionOutcome(answerDoc, true, "CREATE", true);
            }

            /** Reads the review as the real server does, so that only the rules' cost separates the two. */
            @Override
            public JsonPruning unread(AdmissionEndpoint endpoint) {
                return service.unread(endpoint);
            }
        };
        Vertx layerVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops));
        WebhookServer layer = new WebhookServer(layerVertx, ServerOptions.builder(cert, key)
                .host("127.0.0.1").port(0).metricsHost("127.0.0.1").metricsPort(0).instances(loops).build(),
                fixed, () -> true, new AdmissionMetrics());
        layer.start().await(30, TimeUnit.SECONDS);

        Vertx baseVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops));
        HttpServerOptions baseOptions = new HttpServerOptions()
                .setHost("127.0.0.1")
                // One random port shared by every instance, as the real server does, so that every event
                // loop serves connections.
                .setPort(-1)
                .setSsl(true)
                .setKeyCertOptions(new PemKeyCertOptions().setCertValue(Buffer.buffer(Files.readAllBytes(cert)))
                        .setKeyValue(Buffer.buffer(Files.readAllBytes(key))))
                .setEnabledSecureTransportProtocols(Set.of("TLSv1.2", "TLSv1.3"))
                .setUseAlpn(true)
                .setAlpnVersions(List.of(HttpVersion.HTTP_2, HttpVersion.HTTP_1_1))
                .setTcpNoDelay(true);
        Buffer answer = Buffer.buffer(fixedAnswer);
        int[] basePort = new int[1];
        deployBaseline(baseVertx, baseOptions, answer, basePort, loops);

        Files.writeString(dir.resolve("ports"), "real=" + real.port() + "\nbaseline=" + basePort[0]
                + "\nlayer=" + layer.port() + "\nworker=" + worker.port()
                + "\nmetrics=" + real.metricsPort() + "\nbodyBytes=" + body.length
                + "\nanswerBytes=" + fixedAnswer.length + "\n");
        System.out.println("bench servers ready: real https://localhost:" + real.port() + ", baseline https://localhost:"
                + basePort[0] + ", " + loops + " event loop(s) each; review " + body.length + " bytes, answer "
                + fixedAnswer.length + " bytes");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            real.shutdown();
            layer.shutdown();
            worker.shutdown();
            realVertx.close();
            layerVertx.close();
            workerVertx.close();
            baseVertx.close();
        }));
        Thread.currentThread().join();
    }

    private static void deployBaseline(Vertx vertx, HttpServerOptions options, Buffer answer, int[] port, int instances)
            throws Exception {
        vertx.deployVerticle(() -> new VerticleBase() {
            @Override
            public Future<?> start() {
                return vertx.createHttpServer(options)
                        .requestHandler(req -> req.body().onSuccess(ignored -> req.response()
                                .putHeader("content-type", "application/json").end(answer)))
                        .listen()
                        .onSuccess(s -> port[0] = s.actualPort());
            }
        }, new DeploymentOptions().setInstances(instances)).await(30, TimeUnit.SECONDS);
    }
}
