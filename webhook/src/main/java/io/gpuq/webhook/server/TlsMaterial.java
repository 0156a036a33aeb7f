package io.gpuq.webhook.server;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.ServerSSLOptions;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.X509KeyManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One consistent set of TLS files: certificate chain, private key and optional client CA, read
 * together and checked to belong together before a server uses them. Reading blocks: call it off the
 * event loop.
 */
final class TlsMaterial {

    /** TLS 1.2 and 1.3 only; the API server speaks both. */
    static final Set<String> PROTOCOLS = new LinkedHashSet<>(List.of("TLSv1.2", "TLSv1.3"));

    /** The TLS files are missing, unreadable or do not form a usable certificate and key. */
    static final class TlsFileException extends Exception {
        TlsFileException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final byte[] cert;
    private final byte[] key;
    private final byte[] clientCa;
    private final X509Certificate leaf;

    private TlsMaterial(byte[] cert, byte[] key, byte[] clientCa, X509Certificate leaf) {
        this.cert = cert;
        this.key = key;
        this.clientCa = clientCa;
        this.leaf = leaf;
    }

    /** Reads the files without validating them, to compare with what is being served. */
    static byte[][] readRaw(Path certFile, Path keyFile, Path caFile) throws TlsFileException {
        return new byte[][] {read(certFile, "certificate"), read(keyFile, "private key"),
            caFile == null ? null : read(caFile, "client CA")};
    }

    /** Reads and validates the files. */
    static TlsMaterial load(Vertx vertx, Path certFile, Path keyFile, Path caFile) throws TlsFileException {
        byte[][] raw = readRaw(certFile, keyFile, caFile);
        return validate(vertx, raw, certFile, keyFile, caFile);
    }

    static TlsMaterial validate(Vertx vertx, byte[][] raw, Path certFile, Path keyFile, Path caFile)
            throws TlsFileException {
        byte[] cert = raw[0];
        byte[] key = raw[1];
        byte[] ca = raw[2];
        X509Certificate leaf;
        try {
            KeyManagerFactory kmf = new PemKeyCertOptions()
                    .setCertValue(Buffer.buffer(cert))
                    .setKeyValue(Buffer.buffer(key))
                    .getKeyManagerFactory(vertx);
            X509KeyManager km = x509(kmf.getKeyManagers());
            String alias = firstAlias(km);
            PrivateKey privateKey = km.getPrivateKey(alias);
            X509Certificate[] chain = km.getCertificateChain(alias);
            if (privateKey == null || chain == null || chain.length == 0) {
                throw new TlsFileException(certFile + " and " + keyFile + " hold no certificate with a key", null);
            }
            leaf = chain[0];
            checkPair(privateKey, leaf, certFile, keyFile);
        } catch (TlsFileException e) {
            throw e;
        } catch (Exception e) {
            throw new TlsFileException(certFile + " and " + keyFile + " are not a PEM certificate and private key: "
                    + describe(e), e);
        }
        if (ca != null) {
            try {
                new PemTrustOptions().addCertValue(Buffer.buffer(ca)).getTrustManagerFactory(vertx);
            } catch (Exception e) {
                throw new TlsFileException(caFile + " is not a PEM CA bundle: " + describe(e), e);
            }
        }
        return new TlsMaterial(cert, key, ca, leaf);
    }

    boolean sameFiles(byte[][] raw) {
        return Arrays.equals(cert, raw[0]) && Arrays.equals(key, raw[1]) && Arrays.equals(clientCa, raw[2]);
    }

    X509Certificate leaf() {
        return leaf;
    }

    boolean verifiesClients() {
        return clientCa != null;
    }

    /**
     * The server's TLS settings. With a client CA the handshake asks for a certificate (REQUEST, not
     * REQUIRED) so probes without one can still reach the health endpoints; the admission routes then
     * refuse callers that did not present one, and a presented certificate the CA did not sign fails the
     * handshake.
     */
    ServerSSLOptions sslOptions() {
        ServerSSLOptions o = new ServerSSLOptions()
                .setKeyCertOptions(new PemKeyCertOptions().setCertValue(Buffer.buffer(cert)).setKeyValue(Buffer.buffer(key)))
                .setEnabledSecureTransportProtocols(PROTOCOLS)
                .setUseAlpn(true);
        if (clientCa != null) {
            o.setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(clientCa)));
            o.setClientAuth(ClientAuth.REQUEST);
        }
        return o;
    }

    /** "CN=..., serial ..., valid until ..." for log lines. */
    String describeLeaf() {
        return leaf.getSubjectX500Principal().getName() + ", serial " + leaf.getSerialNumber().toString(16)
                + ", valid until " + leaf.getNotAfter().toInstant();
    }

    private static X509KeyManager x509(KeyManager[] managers) throws TlsFileException {
        for (KeyManager m : managers) {
            if (m instanceof X509KeyManager x) {
                return x;
            }
        }
        throw new TlsFileException("no X.509 key manager", null);
    }

    private static String firstAlias(X509KeyManager km) throws TlsFileException {
        for (String type : List.of("RSA", "EC", "EdDSA", "Ed25519", "RSASSA-PSS", "DSA")) {
            String[] aliases = km.getServerAliases(type, null);
            if (aliases != null && aliases.length > 0) {
                return aliases[0];
            }
        }
        throw new TlsFileException("the key store built from the PEM files is empty", null);
    }

    /**
     * Signs a random challenge with the key and verifies it with the certificate's public key: a
     * rotation that has written the new certificate but not yet the new key must not be served.
     */
    private static void checkPair(PrivateKey key, X509Certificate cert, Path certFile, Path keyFile)
            throws TlsFileException {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            case "Ed448" -> "Ed448";
            case "DSA" -> "SHA256withDSA";
            default -> null;
        };
        if (algorithm == null) {
            return;
        }
        try {
            byte[] challenge = new byte[32];
            ThreadLocalRandom.current().nextBytes(challenge);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(cert.getPublicKey());
            verifier.update(challenge);
            if (!verifier.verify(signature)) {
                throw new TlsFileException("the private key in " + keyFile + " does not belong to the certificate in "
                        + certFile, null);
            }
        } catch (TlsFileException e) {
            throw e;
        } catch (Exception e) {
            throw new TlsFileException("the private key in " + keyFile + " does not belong to the certificate in "
                    + certFile + " (" + describe(e) + ")", e);
        }
    }

    private static byte[] read(Path file, String what) throws TlsFileException {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new TlsFileException("the TLS " + what + " file " + file + " does not exist", e);
        } catch (IOException e) {
            throw new TlsFileException("cannot read the TLS " + what + " file " + file + ": " + describe(e), e);
        }
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}
