package io.gpuq.cli.demo;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/**
 * The webhook's TLS material for one demo run: a fresh self-signed CA and a server certificate it
 * signs for {@code localhost} and {@code 127.0.0.1}, as a cluster admin or cert-manager would make
 * them. The CA is written where users find it (to call the webhook with curl); the key never leaves
 * the demo's directory.
 */
final class DemoCertificates {
    private static final Duration VALIDITY = Duration.ofDays(7);
    private static final String SIGNATURE = "SHA256withECDSA";

    private final X509Certificate ca;
    private final X509Certificate server;
    private final KeyPair serverKeys;

    private DemoCertificates(X509Certificate ca, X509Certificate server, KeyPair serverKeys) {
        this.ca = ca;
        this.server = server;
        this.serverKeys = serverKeys;
    }

    static DemoCertificates generate() {
        try {
            SecureRandom random = new SecureRandom();
            Instant now = Instant.now();
            Date from = Date.from(now.minus(Duration.ofMinutes(5)));
            Date to = Date.from(now.plus(VALIDITY));
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();

            KeyPair caKeys = ecKeys(random);
            X500Name caName = new X500Name("CN=gpuq demo webhook CA");
            X509v3CertificateBuilder caBuilder = new JcaX509v3CertificateBuilder(caName, serial(random), from, to, caName,
                    caKeys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(caKeys.getPublic()));
            X509Certificate ca = sign(caBuilder, caKeys);

            KeyPair serverKeys = ecKeys(random);
            X509v3CertificateBuilder serverBuilder = new JcaX509v3CertificateBuilder(caName, serial(random), from, to,
                    new X500Name("CN=localhost"), serverKeys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                    .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                        new GeneralName(GeneralName.dNSName, "localhost"),
                        new GeneralName(GeneralName.iPAddress, "127.0.0.1")}))
                    .addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(ca));
            return new DemoCertificates(ca, sign(serverBuilder, caKeys), serverKeys);
        } catch (GeneralSecurityException | CertIOException | OperatorCreationException e) {
            throw new IllegalStateException("cannot create the webhook's demo certificates: " + e.getMessage(), e);
        }
    }

    X509Certificate ca() {
        return ca;
    }

    X509Certificate server() {
        return server;
    }

    /** Writes the CA, the server certificate and its PKCS#8 key as PEM files (the key readable by the owner only). */
    void write(Path caFile, Path certFile, Path keyFile) {
        try {
            Files.createDirectories(caFile.toAbsolutePath().getParent());
            Files.writeString(caFile, pem(ca));
            Files.writeString(certFile, pem(server));
            Files.deleteIfExists(keyFile);
            Files.createFile(keyFile);
            DemoPaths.ownerOnly(keyFile);
            Files.writeString(keyFile, pem(new JcaPKCS8Generator(serverKeys.getPrivate(), null).generate()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the webhook certificates to " + caFile.getParent() + ": "
                    + e.getMessage(), e);
        }
    }

    /** A TLS context that trusts only this CA, as the API server's {@code caBundle} does. */
    SSLContext trustingCa() {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("gpuq-demo-ca", ca);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, tmf.getTrustManagers(), null);
            return tls;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build a TLS context for the demo CA: " + e.getMessage(), e);
        }
    }

    private static KeyPair ecKeys(SecureRandom random) throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"), random);
        return g.generateKeyPair();
    }

    private static BigInteger serial(SecureRandom random) {
        return new BigInteger(64, random).add(BigInteger.ONE);
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair issuer)
            throws OperatorCreationException, GeneralSecurityException {
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder(SIGNATURE).build(issuer.getPrivate())));
    }

    private static String pem(Object o) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            w.writeObject(o);
        }
        return out.toString();
    }
}
