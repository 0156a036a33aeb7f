package io.gpuq.deploy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;

/** Certificates as Kubernetes stores them: base64 of PEM. */
final class Pem {

    private Pem() {
    }

    static X509Certificate certificate(String base64Pem) {
        byte[] pem = Base64.getDecoder().decode(base64Pem.trim());
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(pem));
        } catch (CertificateException e) {
            throw new AssertionError("not a PEM certificate: " + new String(pem, StandardCharsets.US_ASCII), e);
        }
    }
}
