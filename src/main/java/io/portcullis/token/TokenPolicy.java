package io.portcullis.token;

import io.portcullis.registry.ApiView;
import io.portcullis.registry.RegisteredClient;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a token of one subscription says beyond RFC 9068 section 2.2's claims, and how long it lives
 * (docs/contract.md#token-policy): its API's {@code tokenClaims} and then the subscription's, the
 * subscription winning per name; the API's lifetime, or the subscription's when shorter. The names
 * the server owns never get here: the registry refuses them ({@link io.portcullis.registry.TokenClaims}).
 */
public final class TokenPolicy {
    private TokenPolicy() {
    }

    public static Map<String, Object> claims(ApiView api, RegisteredClient client) {
        Map<String, Object> apiClaims = api.tokenClaims();
        Map<String, Object> own = client.tokenClaims();
        if (own == null || own.isEmpty()) {
            return apiClaims == null ? Map.of() : apiClaims;
        }
        if (apiClaims == null || apiClaims.isEmpty()) {
            return own;
        }
        Map<String, Object> merged = new LinkedHashMap<>(apiClaims);
        merged.putAll(own);
        return merged;
    }

    /** Seconds from iat to exp: the subscription may shorten its API's lifetime, never lengthen it. */
    public static int lifetimeSeconds(ApiView api, RegisteredClient client) {
        Integer own = client.tokenLifetimeSeconds();
        return own == null ? api.tokenLifetimeSeconds() : Math.min(own, api.tokenLifetimeSeconds());
    }
}
