package io.portcullis.dev;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;

/**
 * Dev mode's and the tests' TLS listener (docs/mtls.md): a development CA and a server certificate
 * for {@code localhost} it issued, made with Bouncy Castle the first time and kept under
 * {@code target/dev-tls/{profile}/}. The CA is also the trust anchor of {@code tls_client_auth}, so
 * that the README's openssl lines can issue a client certificate with it. Kept apart from the factory
 * so that Bouncy Castle (not packaged) is loaded only where it is on the class path.
 */
public final class DevTlsLauncher {
    /** Made again when the CA or the server certificate has less than this left. */
    private static final Duration RENEW_BEFORE = Duration.ofDays(30);
    private static final Duration VALIDITY = Duration.ofDays(365);

    private DevTlsLauncher() {
    }

    /** The files of one profile's TLS material. */
    public record Files(Path directory) {
        public Path caCertificate() {
            return directory.resolve("ca.pem");
        }

        public Path caKey() {
            return directory.resolve("ca.key");
        }

        public Path serverCertificate() {
            return directory.resolve("server.pem");
        }

        public Path serverKey() {
            return directory.resolve("server.key");
        }
    }

    public static Files files(String profile) {
        return new Files(Path.of("target", "dev-tls", profile).toAbsolutePath());
    }

    public static synchronized Map<String, String> prepare(String profile) {
        Files files = files(profile);
        try {
            if (!current(files.caCertificate()) || !current(files.serverCertificate()) || !java.nio.file.Files.exists(files.serverKey())
                    || !java.nio.file.Files.exists(files.caKey())) {
                make(files);
                System.out.println("Portcullis: made a development CA and a TLS server certificate for localhost in " + files.directory());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the development TLS certificates in " + files.directory(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make the development TLS certificates", e);
        }
        // the listener's URL follows the port it runs on; the tests' HTTPS port has a key of its own
        String port = "test".equals(profile) ? "${quarkus.http.test-ssl-port:8444}" : "${quarkus.http.ssl-port:8443}";
        return Map.of(
                "quarkus.tls.key-store.pem.dev.cert", files.serverCertificate().toString(),
                "quarkus.tls.key-store.pem.dev.key", files.serverKey().toString(),
                "portcullis.mtls.trust-anchors", files.caCertificate().toString(),
                "portcullis.mtls.public-url", "https://localhost:" + port);
    }

    private static boolean current(Path certificate) {
        if (!java.nio.file.Files.exists(certificate)) {
            return false;
        }
        try (var in = java.nio.file.Files.newInputStream(certificate)) {
            X509Certificate read = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            return read.getNotAfter().toInstant().isAfter(Instant.now().plus(RENEW_BEFORE));
        } catch (IOException | GeneralSecurityException e) {
            return false;
        }
    }

    private static void make(Files files) throws IOException, GeneralSecurityException {
        java.nio.file.Files.createDirectories(files.directory());
        try {
            java.nio.file.Files.setPosixFilePermissions(files.directory(), PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system
        }
        Instant now = Instant.now();
        KeyPair caKeys = ecKeys();
        X500Name caName = new X500Name("CN=Portcullis Development CA,O=Portcullis Demo");
        X509v3CertificateBuilder ca = new JcaX509v3CertificateBuilder(caName, serial(), Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(VALIDITY)), caName, caKeys.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        X509Certificate caCertificate = sign(ca, caKeys);

        KeyPair serverKeys = ecKeys();
        X509v3CertificateBuilder server = new JcaX509v3CertificateBuilder(caCertificate, serial(), Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(VALIDITY)), new X500Name("CN=localhost,O=Portcullis Demo"), serverKeys.getPublic())
                .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[]{
                        new GeneralName(GeneralName.dNSName, "localhost"),
                        new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                        new GeneralName(GeneralName.iPAddress, "::1")}))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        X509Certificate serverCertificate = sign(server, caKeys);

        write(files.caKey(), pem(caKeys.getPrivate()), true);
        write(files.serverKey(), pem(serverKeys.getPrivate()), true);
        write(files.caCertificate(), pem(caCertificate), false);
        // the chain, so that a client trusting the CA can build the path
        write(files.serverCertificate(), pem(serverCertificate) + pem(caCertificate), false);
    }

    private static KeyPair ecKeys() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static BigInteger serial() {
        return new BigInteger(128, new SecureRandom());
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair signer) throws GeneralSecurityException {
        try {
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
        } catch (org.bouncycastle.operator.OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private static String pem(Object object) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            // a private key as PKCS#8 ("PRIVATE KEY"), which both Vert.x and openssl read
            writer.writeObject(object instanceof java.security.PrivateKey key
                    ? new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(key, null) : object);
        }
        return out.toString();
    }

    private static void write(Path file, String content, boolean secret) throws IOException {
        // a file of a random name, created new (never through a link) with its final permissions, then moved into place
        Path temporary;
        try {
            temporary = java.nio.file.Files.createTempFile(file.getParent(), file.getFileName() + ".", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(secret ? "rw-------" : "rw-r--r--")));
        } catch (UnsupportedOperationException e) {
            temporary = java.nio.file.Files.createTempFile(file.getParent(), file.getFileName() + ".", ".tmp");
        }
        java.nio.file.Files.writeString(temporary, content);
        java.nio.file.Files.move(temporary, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
