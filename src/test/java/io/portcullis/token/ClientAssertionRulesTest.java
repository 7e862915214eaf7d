package io.portcullis.token;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The audience and type rules of a private_key_jwt assertion (draft-ietf-oauth-rfc7523bis section 4). */
class ClientAssertionRulesTest {
    static final String ISSUER = "https://api.example.com/auth/default/api/pets";

    @Test
    void theIssuerAloneIsTheAudience() {
        assertTrue(ClientAssertions.audienceAccepted(List.of(ISSUER), ISSUER, false));
        assertFalse(ClientAssertions.audienceAccepted(List.of(ISSUER + "/token"), ISSUER, false));
        assertFalse(ClientAssertions.audienceAccepted(List.of(ISSUER + "/introspect"), ISSUER, false));
        assertFalse(ClientAssertions.audienceAccepted(List.of(ISSUER, "https://other"), ISSUER, false));
        assertFalse(ClientAssertions.audienceAccepted(List.of(), ISSUER, false));
        assertFalse(ClientAssertions.audienceAccepted(null, ISSUER, false));
        assertFalse(ClientAssertions.audienceAccepted(List.of(ISSUER + "/"), ISSUER, false));
    }

    @Test
    void theCompatibilitySettingAdmitsTheTokenEndpointAlone() {
        assertTrue(ClientAssertions.audienceAccepted(List.of(ISSUER + "/token"), ISSUER, true));
        assertTrue(ClientAssertions.audienceAccepted(List.of(ISSUER), ISSUER, true));
        assertFalse(ClientAssertions.audienceAccepted(List.of(ISSUER + "/revoke"), ISSUER, true));
        assertFalse(ClientAssertions.audienceAccepted(List.of(ISSUER + "/token", ISSUER), ISSUER, true));
    }

    @Test
    void noTokenOfAnotherKindPassesForAnAssertion() {
        assertTrue(ClientAssertions.typeAccepted(null));
        assertTrue(ClientAssertions.typeAccepted("JWT"));
        assertTrue(ClientAssertions.typeAccepted("client-authentication+jwt"));
        assertTrue(ClientAssertions.typeAccepted("application/client-authentication+jwt"));
        assertFalse(ClientAssertions.typeAccepted("at+jwt"));
        assertFalse(ClientAssertions.typeAccepted("application/at+jwt"));
        assertFalse(ClientAssertions.typeAccepted("dpop+jwt"));
        assertFalse(ClientAssertions.typeAccepted("secevent+jwt"));
    }
}
