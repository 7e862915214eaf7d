package io.portcullis.mtls;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;

/**
 * A client certificate presented with a request (RFC 8705 section 2): the caller's certificate first,
 * then any intermediates it sent, and the leaf's SHA-256 thumbprint, the {@code x5t#S256} that binds a
 * token to it (section 3.1).
 */
public record ClientCertificate(List<X509Certificate> chain, String thumbprint) {

    public static ClientCertificate of(List<X509Certificate> chain) {
        return new ClientCertificate(List.copyOf(chain), thumbprint(chain.get(0)));
    }

    public X509Certificate leaf() {
        return chain.get(0);
    }

    /** RFC 8705 section 3.1: base64url of the SHA-256 of the DER certificate, without padding. */
    public static String thumbprint(X509Certificate certificate) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (CertificateEncodingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot encode the certificate", e);
        }
    }

    @Override
    public String toString() {
        return "ClientCertificate[" + leaf().getSubjectX500Principal().getName() + ", x5t#S256=" + thumbprint + "]";
    }
}
