package io.portcullis.registry;

import com.fasterxml.jackson.annotation.JsonInclude;

import javax.security.auth.x500.X500Principal;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * A subscription's client certificate credential (RFC 8705 section 2, docs/contract.md#mutual-tls), as
 * the admin API, the declarative file and {@link CredentialService} read and write it:
 * {@code tls_client_auth} with exactly one of the certificate's names (the RFC 7591 metadata
 * {@code tls_client_auth_subject_dn}, {@code _san_dns}, {@code _san_uri}, {@code _san_ip},
 * {@code _san_email}), or {@code self_signed_tls_client_auth}, whose certificate's key is one of the
 * subscription's registered public keys.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TlsClientAuthDefinition(String method, String subjectDn, String sanDns, String sanUri, String sanIp, String sanEmail) {
    public static final String TLS_CLIENT_AUTH = "tls_client_auth";
    public static final String SELF_SIGNED_TLS_CLIENT_AUTH = "self_signed_tls_client_auth";
    static final int MAX_VALUE = 1024;

    /** Which of the certificate's names a tls_client_auth credential compares (RFC 8705 section 2.1.2). */
    public enum Field {
        SUBJECT_DN("subject_dn"), SAN_DNS("san_dns"), SAN_URI("san_uri"), SAN_IP("san_ip"), SAN_EMAIL("san_email");

        public final String column;

        Field(String column) {
            this.column = column;
        }

        static Field ofColumn(String column) {
            for (Field f : values()) {
                if (f.column.equals(column)) {
                    return f;
                }
            }
            throw new IllegalArgumentException("unknown field " + column);
        }
    }

    public static TlsClientAuthDefinition selfSigned() {
        return new TlsClientAuthDefinition(SELF_SIGNED_TLS_CLIENT_AUTH, null, null, null, null, null);
    }

    public static TlsClientAuthDefinition of(Field field, String value) {
        return new TlsClientAuthDefinition(TLS_CLIENT_AUTH, field == Field.SUBJECT_DN ? value : null, field == Field.SAN_DNS ? value : null,
                field == Field.SAN_URI ? value : null, field == Field.SAN_IP ? value : null, field == Field.SAN_EMAIL ? value : null);
    }

    /** The stored credential, or null. */
    public static TlsClientAuthDefinition of(Subscription s) {
        if (s.tlsClientAuthMethod == null) {
            return null;
        }
        return SELF_SIGNED_TLS_CLIENT_AUTH.equals(s.tlsClientAuthMethod) ? selfSigned()
                : of(Field.ofColumn(s.tlsClientAuthField), s.tlsClientAuthValue);
    }

    public boolean selfSignedMethod() {
        return SELF_SIGNED_TLS_CLIENT_AUTH.equals(method);
    }

    /** The one name a tls_client_auth credential compares, or null for the self-signed method. */
    public Field field() {
        return subjectDn != null ? Field.SUBJECT_DN : sanDns != null ? Field.SAN_DNS : sanUri != null ? Field.SAN_URI
                : sanIp != null ? Field.SAN_IP : sanEmail != null ? Field.SAN_EMAIL : null;
    }

    /** The registered value of {@link #field()}. */
    public String value() {
        Field field = field();
        if (field == null) {
            return null;
        }
        return switch (field) {
            case SUBJECT_DN -> subjectDn;
            case SAN_DNS -> sanDns;
            case SAN_URI -> sanUri;
            case SAN_IP -> sanIp;
            case SAN_EMAIL -> sanEmail;
        };
    }

    /**
     * Refuses what could never match a certificate, naming the field: a method other than the two,
     * not exactly one name for tls_client_auth (none for the self-signed method), or a name that does
     * not parse as its kind.
     */
    public void validate() {
        if (!TLS_CLIENT_AUTH.equals(method) && !SELF_SIGNED_TLS_CLIENT_AUTH.equals(method)) {
            throw RegistryException.invalid("method", "method is tls_client_auth or self_signed_tls_client_auth");
        }
        List<String> given = new ArrayList<>();
        if (subjectDn != null) given.add("subjectDn");
        if (sanDns != null) given.add("sanDns");
        if (sanUri != null) given.add("sanUri");
        if (sanIp != null) given.add("sanIp");
        if (sanEmail != null) given.add("sanEmail");
        if (selfSignedMethod()) {
            if (!given.isEmpty()) {
                throw RegistryException.invalid(given.get(0), "self_signed_tls_client_auth compares the certificate's key with the "
                        + "subscription's public keys, not a name");
            }
            return;
        }
        if (given.size() != 1) {
            throw RegistryException.invalid(given.isEmpty() ? "subjectDn" : given.get(1),
                    "tls_client_auth names exactly one of subjectDn, sanDns, sanUri, sanIp and sanEmail (RFC 8705 section 2.1.2)");
        }
        String name = given.get(0);
        String value = value();
        if (value.isEmpty() || value.length() > MAX_VALUE || value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw RegistryException.invalid(name, name + " is 1 to " + MAX_VALUE + " printable characters");
        }
        switch (field()) {
            case SUBJECT_DN -> {
                try {
                    new X500Principal(value);
                } catch (IllegalArgumentException e) {
                    throw RegistryException.invalid(name, "subjectDn is not a distinguished name in RFC 4514 form, such as CN=billing,O=Example");
                }
            }
            case SAN_DNS -> {
                if (!value.matches("(?i)[a-z0-9_]([a-z0-9_-]{0,62})(\\.[a-z0-9_]([a-z0-9_-]{0,62}))*\\.?")) {
                    throw RegistryException.invalid(name, "sanDns is a DNS name, such as billing.example.com");
                }
            }
            case SAN_URI -> {
                try {
                    if (!URI.create(value).isAbsolute()) {
                        throw new IllegalArgumentException();
                    }
                } catch (IllegalArgumentException e) {
                    throw RegistryException.invalid(name, "sanUri is an absolute URI, such as spiffe://example.org/billing");
                }
            }
            case SAN_IP -> {
                if (io.netty.util.NetUtil.createByteArrayFromIpAddressString(value) == null) {
                    throw RegistryException.invalid(name, "sanIp is an IPv4 or IPv6 address");
                }
            }
            case SAN_EMAIL -> {
                int at = value.lastIndexOf('@');
                if (at <= 0 || at == value.length() - 1 || value.indexOf(' ') >= 0) {
                    throw RegistryException.invalid(name, "sanEmail is an e-mail address");
                }
            }
        }
    }
}
