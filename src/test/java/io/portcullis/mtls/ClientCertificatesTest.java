package io.portcullis.mtls;

import io.portcullis.support.TestCertificates;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.PublicJsonWebKey;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RFC 9440 header parsing, the trusted-proxy ranges, thumbprints and the self-signed key match, without HTTP. */
class ClientCertificatesTest {

    @Test
    void clientCertIsOneByteSequenceOfADerCertificate() throws Exception {
        var ca = TestCertificates.ca("Header CA");
        var leaf = TestCertificates.client(ca, "CN=proxy-sent");
        String header = TestCertificates.clientCertHeader(leaf.certificate());
        ClientCertificate parsed = ClientCertificates.fromHeaders(List.of(" " + header + " "), null);
        assertEquals(leaf.certificate(), parsed.leaf());
        assertEquals(ClientCertificate.thumbprint(leaf.certificate()), parsed.thumbprint());
        // with its chain
        ClientCertificate chained = ClientCertificates.fromHeaders(List.of(header), List.of(TestCertificates.clientCertHeader(ca.certificate())));
        assertEquals(2, chained.chain().size());
        // not a byte sequence, not a certificate, twice, or PEM
        assertNull(ClientCertificates.fromHeaders(List.of(header.substring(1)), null));
        assertNull(ClientCertificates.fromHeaders(List.of(":bm90IGEgY2VydA==:"), null));
        assertNull(ClientCertificates.fromHeaders(List.of(":%%%:"), null));
        assertNull(ClientCertificates.fromHeaders(List.of(header, header), null));
        assertNull(ClientCertificates.fromHeaders(List.of(TestCertificates.pem(leaf.certificate())), null));
        assertNull(ClientCertificates.fromHeaders(List.of(), null));
        // a chain that does not parse leaves the leaf alone
        assertEquals(1, ClientCertificates.fromHeaders(List.of(header), List.of(":bm90:")).chain().size());
    }

    @Test
    void theThumbprintIsTheBase64urlSha256OfTheDer() throws Exception {
        var leaf = TestCertificates.selfSigned("CN=t").certificate();
        byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(leaf.getEncoded());
        assertEquals(Base64.getUrlEncoder().withoutPadding().encodeToString(digest), ClientCertificate.thumbprint(leaf));
        assertEquals(43, ClientCertificate.thumbprint(leaf).length());
    }

    @Test
    void trustedProxiesAreAddressesAndRangesNeverNames() throws Exception {
        var single = ClientCertificates.rule("10.0.0.7");
        assertTrue(single.matches(new InetSocketAddress(InetAddress.getByName("10.0.0.7"), 1)));
        assertFalse(single.matches(new InetSocketAddress(InetAddress.getByName("10.0.0.8"), 1)));
        var range = ClientCertificates.rule("10.0.0.0/8");
        assertTrue(range.matches(new InetSocketAddress(InetAddress.getByName("10.200.0.1"), 1)));
        assertFalse(range.matches(new InetSocketAddress(InetAddress.getByName("11.0.0.1"), 1)));
        var v6 = ClientCertificates.rule("fd00::/8");
        assertTrue(v6.matches(new InetSocketAddress(InetAddress.getByName("fd12::1"), 1)));
        assertThrows(IllegalArgumentException.class, () -> ClientCertificates.rule("ingress.example.com"));
        assertThrows(IllegalArgumentException.class, () -> ClientCertificates.rule("10.0.0.0/33"));
        assertThrows(IllegalArgumentException.class, () -> ClientCertificates.rule("10.0.0.0/x"));
    }

    @Test
    void aSelfSignedCertificateMatchesItsKeyItsThumbprintOrItsX5c() throws Exception {
        var mine = TestCertificates.selfSigned("CN=mine");
        var other = TestCertificates.selfSigned("CN=other");
        ClientCertificate presented = ClientCertificate.of(List.of(mine.certificate()));
        PublicJsonWebKey byKey = PublicJsonWebKey.Factory.newPublicJwk(mine.keys().getPublic());
        PublicJsonWebKey otherKey = PublicJsonWebKey.Factory.newPublicJwk(other.keys().getPublic());
        assertTrue(TlsClientAuthentication.selfSignedMatches(List.of(otherKey, byKey), presented));
        assertFalse(TlsClientAuthentication.selfSignedMatches(List.of(otherKey), presented));
        assertFalse(TlsClientAuthentication.selfSignedMatches(List.of(), presented));
        JsonWebKey byThumbprint = JsonWebKey.Factory.newJwk(Map.of("kty", "EC", "crv", "P-256",
                "x", otherKey.toParams(JsonWebKey.OutputControlLevel.PUBLIC_ONLY).get("x"),
                "y", otherKey.toParams(JsonWebKey.OutputControlLevel.PUBLIC_ONLY).get("y"),
                "x5t#S256", presented.thumbprint()));
        assertTrue(TlsClientAuthentication.selfSignedMatches(List.of(byThumbprint), presented));
    }
}
