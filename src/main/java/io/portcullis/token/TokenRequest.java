package io.portcullis.token;

import java.util.Map;

/**
 * A parsed request to one of the token endpoint family (token, introspection, revocation), with the
 * client's credentials wherever they came from. Absent parameters are null; RFC 6749 section 3.2
 * makes an empty one absent too.
 *
 * @param clientAssertion the RFC 7523 assertion, for private_key_jwt
 * @param parameters      every parameter, for the endpoint-specific ones ({@code token}, …)
 */
public record TokenRequest(
        String grantType,
        String scope,
        String resource,
        String clientId,
        String clientSecret,
        String clientAssertion,
        ClientAuthenticationMethod authenticationMethod,
        Map<String, String> parameters) {

    public String parameter(String name) {
        return parameters.get(name);
    }

    @Override
    public String toString() {
        // never print the secret, the assertion or a token parameter
        return "TokenRequest[grantType=" + grantType + ", scope=" + scope + ", clientId=" + clientId
                + ", method=" + authenticationMethod + "]";
    }
}
