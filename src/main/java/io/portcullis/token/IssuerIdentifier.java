package io.portcullis.token;

/**
 * The issuer identifier of one authorization server (RFC 8414 section 2): each auth method is one
 * for each API, at {@code {publicUrl}/auth/{authMethodId}/api/{apiId}} (docs/contract.md#access-tokens).
 * Tokens carry it as {@code iss} (RFC 9068 section 2.2); resource servers compare it exactly.
 */
public final class IssuerIdentifier {
    private IssuerIdentifier() {
    }

    public static String of(String baseUrl, String authMethodId, String apiId) {
        return baseUrl + "/auth/" + authMethodId + "/api/" + apiId;
    }
}
