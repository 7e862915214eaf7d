package io.portcullis.support;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;

/** Certificates made in a test with Bouncy Castle: a CA, and leaf certificates it issues. */
public final class TestCertificates {
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    private TestCertificates() {
    }

    /** A key pair and its certificate. */
    public record Issued(KeyPair keys, X509Certificate certificate) {
        public String pem() {
            return TestCertificates.pem(certificate);
        }
    }

    public static KeyPair ecKeys() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    /** A self-signed CA certificate, valid from an hour ago for a day. */
    public static Issued ca(String commonName) throws Exception {
        KeyPair keys = ecKeys();
        X500Name name = new X500Name("CN=" + commonName);
        Instant now = Instant.now();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(SERIAL.incrementAndGet()),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))), name, keys.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        return new Issued(keys, sign(builder, keys));
    }

    /** A TLS server certificate for 127.0.0.1, issued by {@code ca}. */
    public static Issued server(Issued ca) throws Exception {
        KeyPair keys = ecKeys();
        Instant now = Instant.now();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(ca.certificate(), BigInteger.valueOf(SERIAL.incrementAndGet()),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))), new X500Name("CN=127.0.0.1"),
                keys.getPublic())
                .addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(new GeneralName(GeneralName.iPAddress, "127.0.0.1")));
        return new Issued(keys, sign(builder, ca.keys()));
    }

    /** The development CA the test profile's TLS listener was made with, and which tls_client_auth trusts there. */
    public static Issued devCa() throws Exception {
        var files = io.portcullis.dev.DevTlsLauncher.files("test");
        X509Certificate certificate;
        try (var in = java.nio.file.Files.newInputStream(files.caCertificate())) {
            certificate = (X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        java.security.PrivateKey key;
        try (var parser = new org.bouncycastle.openssl.PEMParser(java.nio.file.Files.newBufferedReader(files.caKey()))) {
            key = new org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter()
                    .getPrivateKey((org.bouncycastle.asn1.pkcs.PrivateKeyInfo) parser.readObject());
        }
        return new Issued(new KeyPair(certificate.getPublicKey(), key), certificate);
    }

    /**
     * A name from its RFC 4514 string, as the JDK reads it (the last RDN printed is the first encoded), so
     * that the string a test registers and the certificate's subject mean the same.
     */
    public static X500Name name(String rfc4514) {
        return X500Name.getInstance(new javax.security.auth.x500.X500Principal(rfc4514).getEncoded());
    }

    /**
     * A TLS client certificate {@code ca} issued to {@code subject} (RFC 4514), valid between the two
     * instants, with these SANs.
     */
    public static Issued client(Issued ca, String subject, Instant notBefore, Instant notAfter, GeneralName... sans) throws Exception {
        KeyPair keys = ecKeys();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(ca.certificate(), BigInteger.valueOf(SERIAL.incrementAndGet()),
                Date.from(notBefore), Date.from(notAfter), name(subject), keys.getPublic())
                .addExtension(Extension.extendedKeyUsage, false,
                        new org.bouncycastle.asn1.x509.ExtendedKeyUsage(org.bouncycastle.asn1.x509.KeyPurposeId.id_kp_clientAuth));
        if (sans.length > 0) {
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans));
        }
        return new Issued(keys, sign(builder, ca.keys()));
    }

    /** A client certificate valid from an hour ago for a day. */
    public static Issued client(Issued ca, String subject, GeneralName... sans) throws Exception {
        Instant now = Instant.now();
        return client(ca, subject, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1)), sans);
    }

    /** A certificate whose extended key usage allows TLS servers only. */
    public static Issued serverAuthOnly(Issued ca) throws Exception {
        KeyPair keys = ecKeys();
        Instant now = Instant.now();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(ca.certificate(), BigInteger.valueOf(SERIAL.incrementAndGet()),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))), new X500Name("CN=server-only"),
                keys.getPublic())
                .addExtension(Extension.extendedKeyUsage, false,
                        new org.bouncycastle.asn1.x509.ExtendedKeyUsage(org.bouncycastle.asn1.x509.KeyPurposeId.id_kp_serverAuth));
        return new Issued(keys, sign(builder, ca.keys()));
    }

    /** A self-signed client certificate, valid from an hour ago for a day. */
    public static Issued selfSigned(String subject) throws Exception {
        KeyPair keys = ecKeys();
        Instant now = Instant.now();
        X500Name name = name(subject);
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(SERIAL.incrementAndGet()),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))), name, keys.getPublic());
        return new Issued(keys, sign(builder, keys));
    }

    /**
     * A client's TLS context: presenting {@code leaf} (or nothing, when null) and trusting the server
     * certificates {@code serverCa} issued.
     */
    public static SSLContext clientContext(Issued leaf, X509Certificate serverCa) throws Exception {
        javax.net.ssl.KeyManager[] keyManagers = null;
        if (leaf != null) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("client", leaf.keys().getPrivate(), new char[0], new Certificate[]{leaf.certificate()});
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, new char[0]);
            keyManagers = keys.getKeyManagers();
        }
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("ca", serverCa);
        javax.net.ssl.TrustManagerFactory trust = javax.net.ssl.TrustManagerFactory.getInstance(
                javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers, trust.getTrustManagers(), null);
        return context;
    }

    /** RFC 9440: the certificate as a Client-Cert header value. */
    public static String clientCertHeader(X509Certificate certificate) throws Exception {
        return ":" + Base64.getEncoder().encodeToString(certificate.getEncoded()) + ":";
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair signer) throws Exception {
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
    }

    /** A server's TLS context presenting {@code leaf} and the CA that issued it. */
    public static SSLContext serverContext(Issued leaf, Issued ca) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("server", leaf.keys().getPrivate(), new char[0], new Certificate[]{leaf.certificate(), ca.certificate()});
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, new char[0]);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }

    public static String pem(X509Certificate certificate) {
        try {
            return "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(certificate.getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }
}
