package io.gpuq.cli.demo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The webhook's demo certificates: a CA, and a server certificate it signed for localhost and 127.0.0.1. */
class DemoCertificatesTest {

    @Test
    void theServerCertificateNamesLocalhostAndTheLoopbackAddressAndTheCaSignedIt(@TempDir Path dir) throws Exception {
        DemoCertificates certs = DemoCertificates.generate();
        Path ca = dir.resolve("ca.crt");
        Path cert = dir.resolve("tls.crt");
        Path key = dir.resolve("tls.key");
        certs.write(ca, cert, key);

        X509Certificate caCert = read(ca);
        X509Certificate server = read(cert);
        server.verify(caCert.getPublicKey());
        caCert.verify(caCert.getPublicKey());
        server.checkValidity();
        assertThat(caCert.getBasicConstraints()).isGreaterThanOrEqualTo(0);
        assertThat(server.getBasicConstraints()).isEqualTo(-1);
        assertThat(server.getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1");
        assertThat(server.getSubjectAlternativeNames()).extracting(n -> n.get(0), n -> n.get(1))
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple(2, "localhost"),
                        org.assertj.core.groups.Tuple.tuple(7, "127.0.0.1"));
        assertThat(Files.readString(key)).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(Files.getPosixFilePermissions(key)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(DemoCertificates.generate().ca().getSerialNumber()).as("fresh for every run")
                .isNotEqualTo(caCert.getSerialNumber());
        assertThat(certs.trustingCa().getProtocol()).isEqualTo("TLS");
        assertThat(List.of(certs.ca(), certs.server())).containsExactly(caCert, server);
    }

    private static X509Certificate read(Path file) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }
}
