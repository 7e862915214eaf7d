package io.portcullis.token;

/**
 * A parsed token request (RFC 6749 section 4.4.2) with the client's credentials, wherever they came from.
 * Absent parameters are null; RFC 6749 section 3.2 makes an empty one absent too.
 */
public record TokenRequest(
        String grantType,
        String scope,
        String resource,
        String clientId,
        String clientSecret,
        ClientAuthenticationMethod authenticationMethod) {

    @Override
    public String toString() {
        // never print the secret
        return "TokenRequest[grantType=" + grantType + ", scope=" + scope + ", clientId=" + clientId
                + ", method=" + authenticationMethod + "]";
    }
}
