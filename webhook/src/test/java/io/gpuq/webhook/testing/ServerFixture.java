package io.gpuq.webhook.testing;

import io.gpuq.webhook.admission.AdmissionReviewer;
import io.gpuq.webhook.server.AdmissionMetrics;
import io.gpuq.webhook.server.ServerOptions;
import io.gpuq.webhook.server.WebhookServer;
import io.vertx.core.Vertx;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

/**
 * A running webhook server on loopback with fresh certificates, and clients that trust them. Closing
 * it shuts the server down and removes its files.
 */
public final class ServerFixture implements AutoCloseable {

    public final Path dir;
    public final Path certFile;
    public final Path keyFile;
    public final TestCertificates.Issued ca;
    public final TestCertificates.Issued serverCert;
    public final Vertx vertx;
    public final AdmissionMetrics metrics;
    public final WebhookServer server;
    public final ServerOptions options;

    public ServerFixture(AdmissionReviewer reviewer, BooleanSupplier synced, UnaryOperator<ServerOptions.Builder> tune) {
        try {
            dir = Files.createTempDirectory("gpuq-webhook-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        certFile = dir.resolve("tls.crt");
        keyFile = dir.resolve("tls.key");
        ca = TestCertificates.ca("gpuq test CA");
        serverCert = TestCertificates.leaf(ca, "gpuq-webhook");
        serverCert.writeTo(certFile, keyFile);
        options = tune.apply(ServerOptions.builder(certFile, keyFile)
                        .host("127.0.0.1").port(0)
                        .metricsHost("127.0.0.1").metricsPort(0)
                        .instances(2)
                        .shutdownTimeout(Duration.ofSeconds(5)))
                .build();
        vertx = Vertx.vertx();
        metrics = new AdmissionMetrics();
        server = new WebhookServer(vertx, options, reviewer, synced, metrics);
        try {
            server.start().await(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            vertx.close();
            throw new IllegalStateException("webhook server did not start", e);
        }
    }

    public ServerFixture(AdmissionReviewer reviewer) {
        this(reviewer, () -> true, b -> b);
    }

    public URI uri(String path) {
        return URI.create("https://localhost:" + server.port() + path);
    }

    public URI metricsUri(String path) {
        return URI.create("http://127.0.0.1:" + server.metricsPort() + path);
    }

    public SSLContext trustingContext() {
        return TestCertificates.trusting(ca.certificate());
    }

    public HttpClient client(HttpClient.Version version) {
        return HttpClient.newBuilder()
                .version(version)
                .sslContext(trustingContext())
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    public HttpResponse<String> post(HttpClient client, String path, String body) {
        return send(client, HttpRequest.newBuilder(uri(path))
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    }

    public HttpResponse<String> get(HttpClient client, URI uri) {
        return send(client, HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).GET().build());
    }

    public static HttpResponse<String> send(HttpClient client, HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            server.shutdown().await(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("webhook server did not shut down", e);
        } finally {
            try {
                vertx.close().await(20, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // The server is already down; a slow Vert.x close does not change any test's outcome.
            }
            deleteQuietly(dir);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // Temporary files only.
        }
    }
}
