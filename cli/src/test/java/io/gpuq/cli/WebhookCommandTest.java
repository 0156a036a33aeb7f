package io.gpuq.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.gpuq.api.crd.Project;
import io.gpuq.webhook.server.ServerOptions;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.Date;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code gpuq webhook}: option errors as one line with exit code 2, and the wired process end to end. */
@EnableKubernetesMockClient(crud = true)
class WebhookCommandTest {

    static KubernetesClient client;

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream originalErr;

    @BeforeEach
    void capture() {
        originalErr = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setErr(originalErr);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aMissingCertificateIsOneLineAndExitCode2(@TempDir Path dir) {
        Path cert = dir.resolve("tls.crt");
        int code = Main.run("webhook", "--tls-cert", cert.toString(), "--tls-key", dir.resolve("tls.key").toString());
        assertThat(code).isEqualTo(2);
        assertThat(stderr()).isEqualTo("gpuq: TLS certificate file " + cert + " does not exist (--tls-cert)"
                + System.lineSeparator());
    }

    @Test
    void aMissingKeyOrClientCaIsNamedWithItsOption(@TempDir Path dir) throws IOException {
        Path cert = Files.writeString(dir.resolve("tls.crt"), "x");
        Path key = dir.resolve("tls.key");
        assertThat(Main.run("webhook", "--tls-cert", cert.toString(), "--tls-key", key.toString())).isEqualTo(2);
        assertThat(stderr()).contains("TLS private key file " + key + " does not exist (--tls-key)");
        Files.writeString(key, "x");
        assertThat(Main.run("webhook", "--tls-cert", cert.toString(), "--tls-key", key.toString(),
                "--client-ca", dir.toString())).isEqualTo(2);
        assertThat(stderr()).contains("client CA file " + dir + " is not a readable file (--client-ca)");
    }

    @Test
    void portsMustBeValidAndDistinct(@TempDir Path dir) throws IOException {
        Path cert = Files.writeString(dir.resolve("tls.crt"), "x");
        Path key = Files.writeString(dir.resolve("tls.key"), "x");
        assertThat(Main.run("webhook", "--tls-cert", cert.toString(), "--tls-key", key.toString(),
                "--port", "9090")).isEqualTo(2);
        assertThat(stderr()).contains("--port and --metrics-port are both 9090; they must differ");
        assertThat(Main.run("webhook", "--tls-cert", cert.toString(), "--tls-key", key.toString(),
                "--port", "70000")).isEqualTo(2);
        assertThat(stderr()).contains("--port must be between 1 and 65535, not 70000");
    }

    @Test
    void unusableCertificateFilesAreAUserError(@TempDir Path dir) throws Exception {
        Path cert = Files.writeString(dir.resolve("tls.crt"), "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
        Path key = Files.writeString(dir.resolve("tls.key"), "not a key");
        ServerOptions options = ServerOptions.builder(cert, key).host("127.0.0.1").metricsHost("127.0.0.1")
                .port(0).metricsPort(0).build();
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> WebhookProcess.start(client.getConfiguration(),
                options, "runai", "gpuq-webhook", Duration.ofSeconds(5))))
                .isInstanceOf(UserInputException.class)
                .hasMessageContaining("are not a PEM certificate and private key");
    }

    @Test
    void theWiredWebhookMutatesAPodOverHttpsAndDrainsOnStop(@TempDir Path dir) throws Exception {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("runai").endMetadata().build())
                .createOr(e -> e.update());
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("team-a")
                .withLabels(Map.of("runai-job", "true")).endMetadata().build()).createOr(e -> e.update());
        Project project = new Project();
        project.setMetadata(new ObjectMetaBuilder().withName("team-a").withNamespace("runai").build());
        project.getSpec().setDeservedGpus(4.0);
        client.resource(project).createOr(e -> e.update());
        client.resource(new NodeBuilder().withNewMetadata().withName("gpu-0")
                .addToLabels("nvidia.com/gpu.product", "NVIDIA-A100-SXM4-80GB").addToLabels("nvidia.com/gpu.memory", "81920")
                .endMetadata().withNewStatus().addToAllocatable("nvidia.com/gpu", new Quantity("8")).endStatus().build())
                .createOr(e -> e.update());

        KeyPair keys = KeyPairGenerator.getInstance("EC").generateKeyPair();
        X509Certificate cert = selfSigned(keys);
        Path certFile = Files.writeString(dir.resolve("tls.crt"), pem(cert));
        Path keyFile = Files.writeString(dir.resolve("tls.key"), pem(new JcaPKCS8Generator(keys.getPrivate(), null).generate()));
        ServerOptions options = ServerOptions.builder(certFile, keyFile).host("127.0.0.1").metricsHost("127.0.0.1")
                .port(0).metricsPort(0).instances(1).build();

        WebhookProcess process = WebhookProcess.start(client.getConfiguration(), options, "runai", "gpuq-webhook",
                Duration.ofSeconds(5));
        try {
            HttpClient https = HttpClient.newBuilder().sslContext(trusting(cert)).build();
            URI base = URI.create("https://localhost:" + process.server().port());
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            int ready = 0;
            while (ready != 200 && System.nanoTime() < deadline) {
                ready = https.send(HttpRequest.newBuilder(base.resolve("/readyz")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode();
                Thread.sleep(50);
            }
            assertThat(ready).isEqualTo(200);

            String review = """
                    {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"wired-1",
                     "kind":{"group":"","version":"v1","kind":"Pod"},"resource":{"group":"","version":"v1","resource":"pods"},
                     "namespace":"team-a","operation":"CREATE","userInfo":{"username":"alice"},
                     "object":{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"team-a"},
                      "spec":{"containers":[{"name":"c","image":"i","resources":{"limits":{"nvidia.com/gpu":"1"}}}]}}}}
                    """;
            HttpResponse<String> r = https.send(HttpRequest.newBuilder(base.resolve("/mutate--v1-pod"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(review)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            JsonNode response = new ObjectMapper().readTree(r.body()).path("response");
            assertThat(response.path("uid").asText()).isEqualTo("wired-1");
            assertThat(response.path("allowed").asBoolean()).isTrue();
            String patch = new String(Base64.getDecoder().decode(response.path("patch").asText()), StandardCharsets.UTF_8);
            assertThat(patch).contains("/spec/schedulerName").contains("runai-scheduler").contains("runai/queue");

            HttpResponse<String> metrics = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + process.server().metricsPort() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.body()).contains("runai_admission_requests_total{allowed=\"true\",operation=\"CREATE\","
                    + "webhook=\"mutate-pod\"} 1.0").contains("caffeine_cache_requests_total{cache=\"cluster_pools\"}");
        } finally {
            process.stop(Duration.ofSeconds(10));
        }
        assertThat(process.server().draining()).isTrue();
    }

    private static X509Certificate selfSigned(KeyPair keys) throws Exception {
        long now = System.currentTimeMillis();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name("CN=localhost"),
                BigInteger.valueOf(now), new Date(now - 3_600_000), new Date(now + 86_400_000),
                new X500Name("CN=localhost"), keys.getPublic());
        b.addExtension(Extension.subjectAlternativeName, false,
                new GeneralNames(new GeneralName(GeneralName.dNSName, "localhost")));
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
    }

    private static String pem(Object o) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            w.writeObject(o);
        }
        return out.toString();
    }

    private static SSLContext trusting(X509Certificate cert) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("webhook", cert);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }
}
