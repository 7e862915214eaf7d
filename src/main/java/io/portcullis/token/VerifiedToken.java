package io.portcullis.token;

import java.util.Set;

/** What a verified access token says, kept while it is valid so the next request is a lookup. */
public record VerifiedToken(
        String issuer,
        String audience,
        String clientId,
        String subscriptionId,
        String applicationId,
        String planId,
        String authMethod,
        Set<String> scopes,
        long issuedAt,
        long expiresAt,
        String jti,
        String subject,
        String jkt,
        io.portcullis.registry.AccessTokenType type) {

    /** RFC 9449 section 6: bound to a client's DPoP key. */
    public boolean isDPoPBound() {
        return jkt != null;
    }
}
