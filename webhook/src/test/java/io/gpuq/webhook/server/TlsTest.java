package io.gpuq.webhook.server;

import io.gpuq.webhook.testing.RawHttps;
import io.gpuq.webhook.testing.Reviews;
import io.gpuq.webhook.testing.ServerFixture;
import io.gpuq.webhook.testing.StubReviewer;
import io.gpuq.webhook.testing.TestCertificates;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.math.BigInteger;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Certificate rotation without restart, protocol versions, and client-certificate verification. */
class TlsTest {

    private static BigInteger presentedSerial(ServerFixture f) throws IOException {
        try (RawHttps c = new RawHttps(f.trustingContext(), f.server.port())) {
            return ((X509Certificate) c.socket.getSession().getPeerCertificates()[0]).getSerialNumber();
        }
    }

    private static BigInteger awaitSerial(ServerFixture f, BigInteger expected, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        BigInteger seen = presentedSerial(f);
        while (!seen.equals(expected) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            seen = presentedSerial(f);
        }
        return seen;
    }

    @Test
    void aRotatedCertificateIsPresentedByTheNextHandshake() throws Exception {
        try (ServerFixture f = new ServerFixture(new StubReviewer(), () -> true,
                b -> b.certCheckInterval(Duration.ofMillis(200)))) {
            BigInteger first = f.serverCert.certificate().getSerialNumber();
            assertThat(presentedSerial(f)).isEqualTo(first);
            try (RawHttps open = new RawHttps(f.trustingContext(), f.server.port())) {
                TestCertificates.Issued next = TestCertificates.leaf(f.ca, "gpuq-webhook");
                next.writeTo(f.certFile, f.keyFile);
                BigInteger expected = next.certificate().getSerialNumber();

                assertThat(awaitSerial(f, expected, Duration.ofSeconds(10))).isEqualTo(expected);
                assertThat(f.server.certificate().getSerialNumber()).isEqualTo(expected);
                // A connection opened before the rotation keeps working with its own session.
                open.write(RawHttps.post("/mutate--v1-pod", Reviews.pod("kept", "p")));
                assertThat(open.read().status()).isEqualTo(200);
            }
            assertThat(f.post(f.client(HttpClient.Version.HTTP_2), "/mutate--v1-pod", Reviews.pod("new", "p"))
                    .statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aHalfWrittenRotationIsNotServedUntilKeyAndCertificateMatch() throws Exception {
        try (ServerFixture f = new ServerFixture(new StubReviewer(), () -> true,
                b -> b.certCheckInterval(Duration.ofMillis(100)))) {
            BigInteger first = f.serverCert.certificate().getSerialNumber();
            TestCertificates.Issued next = TestCertificates.leaf(f.ca, "gpuq-webhook");
            // The certificate lands first; the old key no longer matches it.
            TestCertificates.writeAtomically(f.certFile, next.certPem());
            Thread.sleep(600);
            assertThat(presentedSerial(f)).isEqualTo(first);
            assertThat(f.server.certificate().getSerialNumber()).isEqualTo(first);

            TestCertificates.writeAtomically(f.keyFile, next.keyPem());
            BigInteger expected = next.certificate().getSerialNumber();
            assertThat(awaitSerial(f, expected, Duration.ofSeconds(10))).isEqualTo(expected);
        }
    }

    @Test
    void onlyTls12AndTls13AreOffered() throws Exception {
        try (ServerFixture f = new ServerFixture(new StubReviewer())) {
            for (String protocol : new String[] {"TLSv1.2", "TLSv1.3"}) {
                SSLContext ctx = f.trustingContext();
                try (RawHttps c = new RawHttps(withProtocol(ctx, protocol), f.server.port())) {
                    assertThat(c.socket.getSession().getProtocol()).isEqualTo(protocol);
                }
            }
            assertThatThrownBy(() -> new RawHttps(withProtocol(f.trustingContext(), "TLSv1.1"), f.server.port()).close())
                    .isInstanceOf(IOException.class);
        }
    }

    private static SSLContext withProtocol(SSLContext ctx, String protocol) {
        return new SSLContext(new javax.net.ssl.SSLContextSpi() {
            @Override
            protected void engineInit(javax.net.ssl.KeyManager[] km, javax.net.ssl.TrustManager[] tm,
                                      java.security.SecureRandom sr) {
                throw new UnsupportedOperationException();
            }

            @Override
            protected javax.net.ssl.SSLSocketFactory engineGetSocketFactory() {
                javax.net.ssl.SSLSocketFactory base = ctx.getSocketFactory();
                return new javax.net.ssl.SSLSocketFactory() {
                    @Override
                    public String[] getDefaultCipherSuites() {
                        return base.getDefaultCipherSuites();
                    }

                    @Override
                    public String[] getSupportedCipherSuites() {
                        return base.getSupportedCipherSuites();
                    }

                    @Override
                    public java.net.Socket createSocket(java.net.Socket s, String h, int p, boolean a) throws IOException {
                        return restrict(base.createSocket(s, h, p, a));
                    }

                    @Override
                    public java.net.Socket createSocket(String h, int p) throws IOException {
                        return restrict(base.createSocket(h, p));
                    }

                    @Override
                    public java.net.Socket createSocket(String h, int p, java.net.InetAddress l, int lp) throws IOException {
                        return restrict(base.createSocket(h, p, l, lp));
                    }

                    @Override
                    public java.net.Socket createSocket(java.net.InetAddress h, int p) throws IOException {
                        return restrict(base.createSocket(h, p));
                    }

                    @Override
                    public java.net.Socket createSocket(java.net.InetAddress h, int p, java.net.InetAddress l, int lp)
                            throws IOException {
                        return restrict(base.createSocket(h, p, l, lp));
                    }

                    private java.net.Socket restrict(java.net.Socket s) {
                        ((javax.net.ssl.SSLSocket) s).setEnabledProtocols(new String[] {protocol});
                        return s;
                    }
                };
            }

            @Override
            protected javax.net.ssl.SSLServerSocketFactory engineGetServerSocketFactory() {
                throw new UnsupportedOperationException();
            }

            @Override
            protected javax.net.ssl.SSLEngine engineCreateSSLEngine() {
                throw new UnsupportedOperationException();
            }

            @Override
            protected javax.net.ssl.SSLEngine engineCreateSSLEngine(String host, int port) {
                throw new UnsupportedOperationException();
            }

            @Override
            protected javax.net.ssl.SSLSessionContext engineGetServerSessionContext() {
                throw new UnsupportedOperationException();
            }

            @Override
            protected javax.net.ssl.SSLSessionContext engineGetClientSessionContext() {
                return ctx.getClientSessionContext();
            }
        }, ctx.getProvider(), protocol) {
        };
    }

    @Test
    void withAClientCaOnlyCallersWithASignedCertificateAreReviewed() throws Exception {
        TestCertificates.Issued clientCa = TestCertificates.ca("kube-apiserver client CA");
        TestCertificates.Issued apiServer = TestCertificates.leaf(clientCa, "kube-apiserver");
        TestCertificates.Issued otherCa = TestCertificates.ca("someone else");
        TestCertificates.Issued stranger = TestCertificates.leaf(otherCa, "stranger");
        Path[] caFile = new Path[1];
        try (ServerFixture f = new ServerFixture(new StubReviewer(), () -> true, b -> {
            try {
                caFile[0] = java.nio.file.Files.createTempFile("client-ca", ".crt");
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            TestCertificates.writeAtomically(caFile[0], clientCa.certPem());
            return b.clientCaFile(caFile[0]);
        })) {
            HttpClient anonymous = f.client(HttpClient.Version.HTTP_1_1);
            HttpResponse<String> refused = f.post(anonymous, "/mutate--v1-pod", Reviews.pod("anon", "p"));
            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(refused.body()).contains("client certificate");
            assertThat(f.get(anonymous, f.uri("/healthz")).statusCode()).as("probes need no certificate").isEqualTo(200);

            HttpClient trusted = HttpClient.newBuilder()
                    .sslContext(TestCertificates.trustingWithClient(f.ca.certificate(), apiServer)).build();
            HttpResponse<String> ok = f.post(trusted, "/mutate--v1-pod", Reviews.pod("mtls", "p"));
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.body()).contains("\"uid\":\"mtls\"");

            HttpClient untrusted = HttpClient.newBuilder()
                    .sslContext(TestCertificates.trustingWithClient(f.ca.certificate(), stranger)).build();
            // A certificate from another CA fails the handshake or, where the TLS stack only drops it,
            // leaves the caller without a verified certificate: never reviewed either way.
            int strangerStatus;
            try {
                strangerStatus = untrusted.send(HttpRequest.newBuilder(f.uri("/mutate--v1-pod"))
                                .POST(HttpRequest.BodyPublishers.ofString(Reviews.pod("x", "p"))).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode();
            } catch (IOException handshakeFailed) {
                strangerStatus = -1;
            }
            assertThat(strangerStatus).isIn(-1, 401);
        } finally {
            if (caFile[0] != null) {
                java.nio.file.Files.deleteIfExists(caFile[0]);
            }
        }
    }

    @Test
    void missingOrMismatchedFilesFailStartWithAClearMessage() throws Exception {
        Path dir = java.nio.file.Files.createTempDirectory("gpuq-tls");
        io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
        try {
            Path cert = dir.resolve("tls.crt");
            Path key = dir.resolve("tls.key");
            WebhookServer missing = new WebhookServer(vertx, ServerOptions.builder(cert, key).port(0).metricsPort(0)
                    .host("127.0.0.1").metricsHost("127.0.0.1").build(), new StubReviewer(), () -> true, new AdmissionMetrics());
            assertThatThrownBy(() -> missing.start().await(10, java.util.concurrent.TimeUnit.SECONDS))
                    .hasMessageContaining("the TLS certificate file " + cert + " does not exist");

            TestCertificates.Issued ca = TestCertificates.ca("ca");
            TestCertificates.Issued a = TestCertificates.leaf(ca, "a");
            TestCertificates.Issued b = TestCertificates.leaf(ca, "b");
            TestCertificates.writeAtomically(cert, a.certPem());
            TestCertificates.writeAtomically(key, b.keyPem());
            WebhookServer mismatched = new WebhookServer(vertx, ServerOptions.builder(cert, key).port(0).metricsPort(0)
                    .host("127.0.0.1").metricsHost("127.0.0.1").build(), new StubReviewer(), () -> true, new AdmissionMetrics());
            assertThatThrownBy(() -> mismatched.start().await(10, java.util.concurrent.TimeUnit.SECONDS))
                    .hasMessageContaining("does not belong to the certificate");

            TestCertificates.writeAtomically(key, "not a key");
            WebhookServer garbage = new WebhookServer(vertx, ServerOptions.builder(cert, key).port(0).metricsPort(0)
                    .host("127.0.0.1").metricsHost("127.0.0.1").build(), new StubReviewer(), () -> true, new AdmissionMetrics());
            assertThatThrownBy(() -> garbage.start().await(10, java.util.concurrent.TimeUnit.SECONDS))
                    .hasMessageContaining("are not a PEM certificate and private key");
        } finally {
            vertx.close().await(10, java.util.concurrent.TimeUnit.SECONDS);
            try (var files = java.nio.file.Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
