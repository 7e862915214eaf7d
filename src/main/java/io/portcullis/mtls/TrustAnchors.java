package io.portcullis.mtls;

import io.portcullis.config.PortcullisConfig;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertStore;
import java.security.cert.CertificateFactory;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The certificate authorities a {@code tls_client_auth} certificate must chain to (RFC 8705 section
 * 2.1), from {@code portcullis.mtls.trust-anchors}, read at start. The path is built and checked by the
 * JDK's PKIX implementation (RFC 5280 section 6): signatures, validity at the time of the request,
 * basic constraints and name constraints. Revocation is not checked (no CRL or OCSP fetch on the
 * request path); certificates meant for this should be short-lived.
 */
@ApplicationScoped
public class TrustAnchors {
    private static final Logger LOG = Logger.getLogger(TrustAnchors.class);
    /** RFC 5280 section 4.2.1.12 */
    static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    static final String ANY_EXTENDED_KEY_USAGE = "2.5.29.37.0";

    private final Set<TrustAnchor> anchors;
    /**
     * Leaves whose path was built, by thumbprint, until the earliest end of validity on the path (at
     * most five minutes): a client presents the same certificate on every token request, and the
     * path does not depend on who presents it. Failures are not kept, so they cannot crowd out clients.
     */
    private final com.github.benmanes.caffeine.cache.Cache<String, Instant> trusted = com.github.benmanes.caffeine.cache.Caffeine.newBuilder()
            .maximumSize(10_000).expireAfterWrite(java.time.Duration.ofMinutes(5)).build();

    @jakarta.inject.Inject
    public TrustAnchors(PortcullisConfig config) {
        this(read(config.mtls().trustAnchors().orElse(List.of())));
    }

    TrustAnchors(List<X509Certificate> certificates) {
        Set<TrustAnchor> set = new HashSet<>();
        for (X509Certificate c : certificates) {
            set.add(new TrustAnchor(c, null));
        }
        this.anchors = Set.copyOf(set);
        if (!anchors.isEmpty()) {
            LOG.infof("tls_client_auth trusts %d certificate authorities", anchors.size());
        }
    }

    public boolean configured() {
        return !anchors.isEmpty();
    }

    /**
     * Whether the certificate chains to one of the anchors, at {@code now}, through the intermediates
     * the caller sent, and may authenticate a TLS client: an extended key usage, when it has one,
     * includes client authentication.
     */
    public boolean trusts(ClientCertificate presented, Instant now) {
        if (anchors.isEmpty() || !clientAuthentication(presented.leaf())) {
            return false;
        }
        Instant until = trusted.getIfPresent(presented.thumbprint());
        if (until != null && now.isBefore(until) && !now.isBefore(presented.leaf().getNotBefore().toInstant())) {
            return true;
        }
        try {
            X509CertSelector target = new X509CertSelector();
            target.setCertificate(presented.leaf());
            PKIXBuilderParameters parameters = new PKIXBuilderParameters(anchors, target);
            parameters.setRevocationEnabled(false);
            parameters.setDate(Date.from(now));
            parameters.setMaxPathLength(ClientCertificates.MAX_CHAIN);
            parameters.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(presented.chain())));
            var result = (java.security.cert.PKIXCertPathBuilderResult) CertPathBuilder.getInstance("PKIX").build(parameters);
            Instant end = result.getTrustAnchor().getTrustedCert().getNotAfter().toInstant();
            for (var c : result.getCertPath().getCertificates()) {
                Instant notAfter = ((X509Certificate) c).getNotAfter().toInstant();
                end = notAfter.isBefore(end) ? notAfter : end;
            }
            trusted.put(presented.thumbprint(), end);
            return true;
        } catch (CertPathBuilderException e) {
            return false;
        } catch (InvalidAlgorithmParameterException | java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("PKIX path building is not available", e);
        }
    }

    static boolean clientAuthentication(X509Certificate leaf) {
        try {
            List<String> usages = leaf.getExtendedKeyUsage();
            return usages == null || usages.contains(CLIENT_AUTH) || usages.contains(ANY_EXTENDED_KEY_USAGE);
        } catch (java.security.cert.CertificateParsingException e) {
            return false;
        }
    }

    static List<X509Certificate> read(List<String> files) {
        List<X509Certificate> all = new java.util.ArrayList<>();
        for (String file : files) {
            try (InputStream in = Files.newInputStream(Path.of(file.trim()))) {
                for (var c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                    all.add((X509Certificate) c);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("portcullis.mtls.trust-anchors: cannot read " + file, e);
            } catch (GeneralSecurityException e) {
                throw new IllegalArgumentException("portcullis.mtls.trust-anchors: " + file + " holds no PEM certificates", e);
            }
        }
        if (!files.isEmpty() && all.isEmpty()) {
            throw new IllegalArgumentException("portcullis.mtls.trust-anchors: " + files + " hold no certificates");
        }
        return all;
    }
}
