package io.portcullis.mtls;

import io.portcullis.registry.RegistryException;
import io.portcullis.registry.TlsClientAuthDefinition;
import io.portcullis.registry.TlsClientAuthDefinition.Field;
import io.portcullis.support.TestCertificates;
import io.portcullis.support.TestCertificates.Issued;
import org.bouncycastle.asn1.x509.GeneralName;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.security.auth.x500.X500Principal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RFC 8705 section 2.1.2 name matching, chain checks and the registration rules, without HTTP. */
class CertificateNamesTest {
    static Issued ca;

    @BeforeAll
    static void makeCa() throws Exception {
        ca = TestCertificates.ca("Names CA");
    }

    static X500Principal dn(String s) {
        return new X500Principal(s);
    }

    @Test
    void subjectDnsMatchByRfc4517() {
        assertTrue(CertificateNames.subjectMatches("CN=billing,O=Example", dn("CN=billing,O=Example")));
        assertTrue(CertificateNames.subjectMatches("cn=Billing , o=EXAMPLE", dn("CN=billing,O=Example")));
        assertTrue(CertificateNames.subjectMatches("CN=billing,  O=Example  Corp", dn("CN=billing,O=Example Corp")));
        // a multi-valued RDN's attributes in either order
        assertTrue(CertificateNames.subjectMatches("CN=billing+UID=7,O=Example", dn("UID=7+CN=billing,O=Example")));
        assertFalse(CertificateNames.subjectMatches("CN=billing,O=Example", dn("CN=billing,O=Other")));
        assertFalse(CertificateNames.subjectMatches("CN=billing,O=Example", dn("O=Example,CN=billing")));
        assertFalse(CertificateNames.subjectMatches("CN=billing,O=Example", dn("CN=billing,OU=Payments,O=Example")));
        assertFalse(CertificateNames.subjectMatches("CN=billing", dn("CN=billing2")));
        assertFalse(CertificateNames.subjectMatches("not a dn", dn("CN=billing")));
    }

    @Test
    void eachSanKindMatchesOnlyItsOwnKind() throws Exception {
        Issued certificate = TestCertificates.client(ca, "CN=x",
                new GeneralName(GeneralName.dNSName, "billing.example.com"),
                new GeneralName(GeneralName.uniformResourceIdentifier, "spiffe://example.org/billing"),
                new GeneralName(GeneralName.iPAddress, "10.1.2.3"),
                new GeneralName(GeneralName.iPAddress, "2001:db8::7"),
                new GeneralName(GeneralName.rfc822Name, "billing@example.com"));
        var leaf = certificate.certificate();
        assertTrue(CertificateNames.matches(TlsClientAuthDefinition.of(Field.SAN_DNS, "BILLING.example.com"), leaf));
        assertFalse(CertificateNames.matches(TlsClientAuthDefinition.of(Field.SAN_DNS, "example.com"), leaf));
        assertFalse(CertificateNames.matches(TlsClientAuthDefinition.of(Field.SAN_DNS, "spiffe://example.org/billing"), leaf));
        assertTrue(CertificateNames.matches(TlsClientAuthDefinition.of(Field.SAN_URI, "spiffe://example.org/billing"), leaf));
        assertFalse(CertificateNames.matches(TlsClientAuthDefinition.of(Field.SAN_URI, "spiffe://example.org/Billing"), leaf));
        assertFalse(CertificateNames.matches(TlsClientAuthDefinition.of(Field.SAN_URI, "billing.example.com"), leaf));
        assertTrue(CertificateNames.matches(TlsClientAuthDefinition.of(Field.SAN_IP, "10.1.2.3"), leaf));
        assertTrue(CertificateNames.matches(TlsClientAuthDefinition.of(Field.SAN_IP, "2001:0db8:0000::0007"), leaf));
        assertFalse(CertificateNames.matches(TlsClientAuthDefinition.of(Field.SAN_IP, "10.1.2.4"), leaf));
        assertTrue(CertificateNames.matches(TlsClientAuthDefinition.of(Field.SAN_EMAIL, "billing@EXAMPLE.com"), leaf));
        assertFalse(CertificateNames.matches(TlsClientAuthDefinition.of(Field.SAN_EMAIL, "Billing@example.com"), leaf));
        // the subject's CN is not a SAN
        assertFalse(CertificateNames.matches(TlsClientAuthDefinition.of(Field.SAN_DNS, "x"), leaf));
        assertFalse(CertificateNames.matches(TlsClientAuthDefinition.selfSigned(), leaf));
    }

    @Test
    void theChainMustReachAnAnchorAndBeValidNow() throws Exception {
        TrustAnchors anchors = new TrustAnchors(List.of(ca.certificate()));
        Instant now = Instant.now();
        Issued good = TestCertificates.client(ca, "CN=good");
        assertTrue(anchors.trusts(ClientCertificate.of(List.of(good.certificate())), now));
        assertFalse(anchors.trusts(ClientCertificate.of(List.of(good.certificate())), now.plus(Duration.ofDays(3))));
        assertFalse(anchors.trusts(ClientCertificate.of(List.of(TestCertificates.client(TestCertificates.ca("Other"), "CN=good").certificate())), now));
        assertFalse(anchors.trusts(ClientCertificate.of(List.of(TestCertificates.selfSigned("CN=good").certificate())), now));
        assertFalse(new TrustAnchors(List.of()).trusts(ClientCertificate.of(List.of(good.certificate())), now));
        assertFalse(TlsClientAuthentication.validAt(good.certificate(), now.minus(Duration.ofDays(1))));
        assertTrue(TlsClientAuthentication.validAt(good.certificate(), now));
    }

    @Test
    void aCertificateForServersOnlyAuthenticatesNoClient() throws Exception {
        // TestCertificates.server has no EKU: any use; one restricted to serverAuth is refused
        assertTrue(TrustAnchors.clientAuthentication(TestCertificates.server(ca).certificate()));
        assertTrue(TrustAnchors.clientAuthentication(TestCertificates.client(ca, "CN=c").certificate()));
        var serverOnly = TestCertificates.serverAuthOnly(ca);
        assertFalse(TrustAnchors.clientAuthentication(serverOnly.certificate()));
        assertFalse(new TrustAnchors(List.of(ca.certificate())).trusts(ClientCertificate.of(List.of(serverOnly.certificate())), Instant.now()));
    }

    @Test
    void registrationsThatCouldNeverMatchAreRefused() {
        TlsClientAuthDefinition.of(Field.SUBJECT_DN, "CN=billing,O=Example").validate();
        TlsClientAuthDefinition.of(Field.SAN_IP, "::1").validate();
        TlsClientAuthDefinition.selfSigned().validate();
        assertField("subjectDn", TlsClientAuthDefinition.of(Field.SUBJECT_DN, "billing"));
        assertField("sanDns", TlsClientAuthDefinition.of(Field.SAN_DNS, "not a host"));
        assertField("sanUri", TlsClientAuthDefinition.of(Field.SAN_URI, "relative/path"));
        assertField("sanIp", TlsClientAuthDefinition.of(Field.SAN_IP, "localhost"));
        assertField("sanEmail", TlsClientAuthDefinition.of(Field.SAN_EMAIL, "nobody"));
        assertField("sanDns", new TlsClientAuthDefinition("tls_client_auth", "CN=a", "a.example", null, null, null));
        assertField("subjectDn", new TlsClientAuthDefinition("tls_client_auth", null, null, null, null, null));
        assertField("subjectDn", new TlsClientAuthDefinition("self_signed_tls_client_auth", "CN=a", null, null, null, null));
        assertField("method", new TlsClientAuthDefinition("private_key_jwt", null, null, null, null, null));
        assertField("subjectDn", TlsClientAuthDefinition.of(Field.SUBJECT_DN, "CN=a\\0Ab".replace("\\0A", "\n")));
        assertNull(TlsClientAuthDefinition.selfSigned().field());
        assertEquals(Field.SAN_URI, TlsClientAuthDefinition.of(Field.SAN_URI, "urn:x").field());
    }

    static void assertField(String field, TlsClientAuthDefinition d) {
        RegistryException e = assertThrows(RegistryException.class, d::validate, d::toString);
        assertEquals(field, e.field, d::toString);
    }
}
