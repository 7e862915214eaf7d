package io.portcullis.mtls;

import io.netty.util.NetUtil;
import io.portcullis.registry.TlsClientAuthDefinition;

import javax.security.auth.x500.X500Principal;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * RFC 8705 section 2.1.2: whether a certificate carries the one name a {@code tls_client_auth}
 * credential registered. The subject DN by RFC 4517 distinguishedNameMatch (the JDK's canonical form of
 * RFC 2253 compares attribute values case-insensitively after normalising spaces, and each RDN's
 * attributes in any order); a SAN only of the registered kind: a DNS name case-insensitively, a URI
 * exactly, an IP address as the same address in any notation, an e-mail address with its domain
 * case-insensitively.
 */
public final class CertificateNames {
    /** RFC 5280 section 4.2.1.6 GeneralName tags */
    static final int RFC822_NAME = 1;
    static final int DNS_NAME = 2;
    static final int URI = 6;
    static final int IP_ADDRESS = 7;

    private CertificateNames() {
    }

    public static boolean matches(TlsClientAuthDefinition registered, X509Certificate certificate) {
        TlsClientAuthDefinition.Field field = registered.field();
        if (field == null) {
            return false;
        }
        String value = registered.value();
        return switch (field) {
            case SUBJECT_DN -> subjectMatches(value, certificate.getSubjectX500Principal());
            case SAN_DNS -> names(certificate, DNS_NAME).stream().anyMatch(n -> n.equalsIgnoreCase(value));
            case SAN_URI -> names(certificate, URI).contains(value);
            case SAN_IP -> ipMatches(value, names(certificate, IP_ADDRESS));
            case SAN_EMAIL -> names(certificate, RFC822_NAME).stream().anyMatch(n -> emailMatches(value, n));
        };
    }

    static boolean subjectMatches(String registered, X500Principal subject) {
        try {
            return new X500Principal(registered).equals(subject);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    static boolean ipMatches(String registered, Collection<String> presented) {
        byte[] wanted = NetUtil.createByteArrayFromIpAddressString(registered);
        if (wanted == null) {
            return false;
        }
        for (String name : presented) {
            byte[] bytes = NetUtil.createByteArrayFromIpAddressString(name);
            if (bytes != null && Arrays.equals(wanted, bytes)) {
                return true;
            }
        }
        return false;
    }

    /** The local part as given (RFC 5321 leaves its case to the mailbox's host), the domain in any case. */
    static boolean emailMatches(String registered, String presented) {
        int a = registered.lastIndexOf('@');
        int b = presented.lastIndexOf('@');
        return a > 0 && b > 0 && registered.substring(0, a).equals(presented.substring(0, b))
                && registered.substring(a + 1).equalsIgnoreCase(presented.substring(b + 1));
    }

    /** The certificate's subject alternative names of one kind, as the JDK gives them (strings for these kinds). */
    static List<String> names(X509Certificate certificate, int kind) {
        try {
            Collection<List<?>> all = certificate.getSubjectAlternativeNames();
            if (all == null) {
                return List.of();
            }
            return all.stream()
                    .filter(n -> n.size() >= 2 && n.get(0) instanceof Integer tag && tag == kind && n.get(1) instanceof String)
                    .map(n -> (String) n.get(1))
                    .toList();
        } catch (CertificateParsingException e) {
            return List.of();
        }
    }
}
