package io.portcullis.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

/**
 * Claims an admin adds to tokens (docs/contract.md#token-policy): an API's and a subscription's, a JSON
 * object each. The names the server owns (RFC 9068 section 2.2 and 2.2.1, RFC 7800's cnf, RFC 8693's act
 * and may_act, RFC 7662's introspection members, and Portcullis's own), in any case, are refused, so that
 * a claim can never change who or what a token is for; so is an object over 4 KiB.
 */
public final class TokenClaims {
    private TokenClaims() {
    }

    public static final Set<String> RESERVED = Set.of("iss", "sub", "aud", "exp", "nbf", "iat", "jti", "client_id", "scope", "cnf",
            "act", "may_act", "application", "subscription", "plan", "auth_method",
            // RFC 9068 section 2.2.1 and RFC 7662 section 2.2: what a resource server reads as the server's word
            "auth_time", "acr", "amr", "azp", "username", "token_type", "active");
    static final int MAX_BYTES = 4096;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The claims as stored (JSON text), or null for none; a refusal names {@code field}. */
    static String stored(Map<String, Object> claims, String field) {
        if (claims == null || claims.isEmpty()) {
            return null;
        }
        for (String name : claims.keySet()) {
            // Sub or SCOPE would read as the server's claim to a lenient resource server
            if (name == null || name.isEmpty() || RESERVED.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                throw RegistryException.invalid(field, "claim '" + name + "' is the server's own: " + field + " may not set "
                        + String.join(", ", RESERVED.stream().sorted().toList()));
            }
        }
        try {
            String json = JSON.writeValueAsString(claims);
            if (json.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
                throw RegistryException.invalid(field, field + " must be at most 4 KiB as JSON");
            }
            return json;
        } catch (JsonProcessingException e) {
            throw RegistryException.invalid(field, field + " is not a JSON object");
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> parse(String json) {
        try {
            return json == null ? null : JSON.readValue(json, Map.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored token claims are unreadable", e);
        }
    }
}
