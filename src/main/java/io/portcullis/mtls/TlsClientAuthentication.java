package io.portcullis.mtls;

import io.portcullis.keys.RemoteKeySets;
import io.portcullis.registry.RegisteredClient;
import io.portcullis.registry.TlsClientAuthDefinition;
import jakarta.enterprise.context.ApplicationScoped;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.lang.JoseException;

import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.List;

/**
 * Client authentication with a TLS client certificate (RFC 8705 section 2), as {@link
 * io.portcullis.token.ClientAuthenticator} asks it: {@code tls_client_auth}, a certificate that chains
 * to a trust anchor and carries the registered name (section 2.1), or {@code
 * self_signed_tls_client_auth}, a certificate whose key, or whose {@code x5t#S256}, is one of the
 * subscription's registered keys (section 2.2). Either way the certificate must be within its validity
 * period: an expired self-signed certificate is refused too.
 */
@ApplicationScoped
public class TlsClientAuthentication {
    private final TrustAnchors anchors;
    private final RemoteKeySets remoteKeySets;

    public TlsClientAuthentication(TrustAnchors anchors, RemoteKeySets remoteKeySets) {
        this.anchors = anchors;
        this.remoteKeySets = remoteKeySets;
    }

    public boolean verify(RegisteredClient client, ClientCertificate presented, Instant now) {
        TlsClientAuthDefinition registered = client == null ? null : client.tlsClientAuth();
        if (registered == null || presented == null || !validAt(presented.leaf(), now)) {
            return false;
        }
        if (registered.selfSignedMethod()) {
            return selfSignedMatches(keysOf(client), presented);
        }
        return CertificateNames.matches(registered, presented.leaf()) && anchors.trusts(presented, now);
    }

    static boolean validAt(X509Certificate certificate, Instant now) {
        try {
            certificate.checkValidity(Date.from(now));
            return true;
        } catch (CertificateExpiredException | CertificateNotYetValidException e) {
            return false;
        }
    }

    /** RFC 8705 section 2.2: the certificate's public key, the certificate itself, or its thumbprint is in the JWK set. */
    static boolean selfSignedMatches(List<JsonWebKey> keys, ClientCertificate presented) {
        byte[] spki = presented.leaf().getPublicKey().getEncoded();
        for (JsonWebKey key : keys) {
            if (!(key instanceof PublicJsonWebKey jwk)) {
                continue;
            }
            if (presented.thumbprint().equals(jwk.getX509CertificateSha256Thumbprint())) {
                return true;
            }
            if (jwk.getPublicKey() != null && Arrays.equals(spki, jwk.getPublicKey().getEncoded())) {
                return true;
            }
            List<X509Certificate> x5c = jwk.getCertificateChain();
            if (x5c != null && !x5c.isEmpty() && x5c.get(0).equals(presented.leaf())) {
                return true;
            }
        }
        return false;
    }

    private List<JsonWebKey> keysOf(RegisteredClient client) {
        if (client.jwks() != null) {
            try {
                return new JsonWebKeySet(client.jwks()).getJsonWebKeys();
            } catch (JoseException e) {
                return List.of(); // the registry refuses a set that does not parse
            }
        }
        return client.jwksUri() == null ? List.of() : remoteKeySets.keys(client.jwksUri(), null);
    }
}
