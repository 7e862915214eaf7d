package io.portcullis.mtls;

import io.netty.handler.ipfilter.IpFilterRuleType;
import io.netty.handler.ipfilter.IpSubnetFilterRule;
import io.netty.util.NetUtil;
import io.portcullis.config.PortcullisConfig;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import jakarta.enterprise.context.ApplicationScoped;

import javax.net.ssl.SSLPeerUnverifiedException;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Which client certificate came with a request (docs/contract.md#mutual-tls): the one of its own TLS
 * connection, or, from a TLS-terminating proxy the operator trusts, the one in its {@code Client-Cert}
 * header (RFC 9440), with the intermediates of {@code Client-Cert-Chain}. The header counts only on a
 * plain-HTTP connection from a trusted proxy: on a TLS connection the certificate is always the
 * connection's own (a caller whose TLS passes through a balancer on a trusted address must not be able
 * to name a certificate it does not hold), and from anyone else the header counts for nothing (the
 * gateway never passes it on either). From a trusted proxy only the header counts: the proxy's own
 * connection certificate is the proxy's, not the caller's.
 */
@ApplicationScoped
public class ClientCertificates {
    /** A certificate of more than this many bytes, or a chain of more than this many, is not one we read. */
    static final int MAX_HEADER = 16 * 1024;
    static final int MAX_CHAIN = 8;

    private final List<IpSubnetFilterRule> trustedProxies;

    public ClientCertificates(PortcullisConfig config) {
        this.trustedProxies = config.mtls().trustedProxies().orElse(List.of()).stream().map(ClientCertificates::rule).toList();
    }

    /** A proxy address or CIDR range, as {@code portcullis.mtls.trusted-proxies} gives it; never a host name. */
    static IpSubnetFilterRule rule(String entry) {
        String trimmed = entry.trim();
        int slash = trimmed.indexOf('/');
        String address = slash < 0 ? trimmed : trimmed.substring(0, slash);
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(address);
        if (bytes == null) {
            throw new IllegalArgumentException("portcullis.mtls.trusted-proxies: '" + entry + "' is not an IP address or CIDR range");
        }
        int bits;
        try {
            bits = slash < 0 ? bytes.length * 8 : Integer.parseInt(trimmed.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("portcullis.mtls.trusted-proxies: '" + entry + "' has no prefix length after '/'");
        }
        if (bits < 0 || bits > bytes.length * 8) {
            throw new IllegalArgumentException("portcullis.mtls.trusted-proxies: '" + entry + "' has a prefix length out of range");
        }
        return new IpSubnetFilterRule(address, bits, IpFilterRuleType.ACCEPT);
    }

    /** The request's client certificate, or null. */
    public ClientCertificate presented(HttpServerRequest request) {
        if (!request.isSSL()) {
            return fromTrustedProxy(request)
                    ? fromHeaders(request.headers().getAll("Client-Cert"), request.headers().getAll("Client-Cert-Chain"))
                    : null;
        }
        try {
            List<Certificate> peer = request.connection().peerCertificates();
            List<X509Certificate> chain = new ArrayList<>();
            for (Certificate c : peer == null ? List.<Certificate>of() : peer) {
                if (c instanceof X509Certificate x509 && chain.size() < MAX_CHAIN) {
                    chain.add(x509);
                }
            }
            return chain.isEmpty() ? null : ClientCertificate.of(chain);
        } catch (SSLPeerUnverifiedException e) {
            return null; // the caller sent no certificate: it asked for none to be required
        }
    }

    /** The {@code x5t#S256} of the request's client certificate, or null: what a certificate-bound token is checked against. */
    public String thumbprint(HttpServerRequest request) {
        ClientCertificate presented = presented(request);
        return presented == null ? null : presented.thumbprint();
    }

    /** The address of the TCP peer itself (not one a forwarded header names) is one the operator trusts. */
    boolean fromTrustedProxy(HttpServerRequest request) {
        if (trustedProxies.isEmpty()) {
            return false;
        }
        SocketAddress peer = request.connection().remoteAddress(true);
        String host = peer == null ? null : peer.hostAddress();
        byte[] bytes = host == null ? null : NetUtil.createByteArrayFromIpAddressString(host);
        if (bytes == null) {
            return false;
        }
        try {
            InetSocketAddress address = new InetSocketAddress(InetAddress.getByAddress(bytes), peer.port());
            return trustedProxies.stream().anyMatch(rule -> rule.matches(address));
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /**
     * RFC 9440 section 2: {@code Client-Cert} is one structured-field byte sequence (RFC 8941 section
     * 3.3.5, {@code :base64(DER):}); {@code Client-Cert-Chain} a list of them. Anything else, or more
     * than one {@code Client-Cert}, is no certificate.
     */
    static ClientCertificate fromHeaders(List<String> certificate, List<String> chain) {
        if (certificate == null || certificate.size() != 1) {
            return null;
        }
        X509Certificate leaf = byteSequence(certificate.get(0));
        if (leaf == null) {
            return null;
        }
        List<X509Certificate> all = new ArrayList<>();
        all.add(leaf);
        for (String value : chain == null ? List.<String>of() : chain) {
            for (String member : value.split(",")) {
                X509Certificate intermediate = byteSequence(member);
                if (intermediate == null || all.size() >= MAX_CHAIN) {
                    return ClientCertificate.of(List.of(leaf)); // a chain we cannot read leaves the leaf alone
                }
                all.add(intermediate);
            }
        }
        return ClientCertificate.of(all);
    }

    private static X509Certificate byteSequence(String value) {
        String trimmed = value.trim();
        if (trimmed.length() < 3 || trimmed.length() > MAX_HEADER || trimmed.charAt(0) != ':' || trimmed.charAt(trimmed.length() - 1) != ':') {
            return null;
        }
        try {
            byte[] der = Base64.getDecoder().decode(trimmed.substring(1, trimmed.length() - 1));
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        } catch (IllegalArgumentException | CertificateException | ClassCastException e) {
            return null;
        }
    }
}
