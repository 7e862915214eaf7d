package io.portcullis.token;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An error response of the token endpoint family (RFC 6749 section 5.2), with the status and
 * headers docs/contract.md#token-endpoint gives each case. Descriptions never say which part of a credential
 * was wrong.
 */
public class OAuthError extends RuntimeException {
    public final int status;
    public final String error;
    public final String description;
    public final Map<String, String> headers;

    public OAuthError(int status, String error, String description, Map<String, String> headers) {
        super(error + ": " + description, null, false, false);
        this.status = status;
        this.error = error;
        this.description = description;
        this.headers = headers;
    }

    public OAuthError(int status, String error, String description) {
        this(status, error, description, Map.of());
    }

    public static OAuthError invalidRequest(String description) {
        return new OAuthError(400, "invalid_request", description);
    }

    public static OAuthError notFound(String description) {
        return new OAuthError(404, "invalid_request", description);
    }

    public static OAuthError unsupportedGrantType() {
        return new OAuthError(400, "unsupported_grant_type", "Only the client_credentials grant is supported");
    }

    /** RFC 6749 section 5.2: a client that tried Basic gets a Basic challenge with the 401. */
    public static OAuthError invalidClient(boolean basicUsed, String realm) {
        Map<String, String> headers = basicUsed ? Map.of("WWW-Authenticate", "Basic realm=\"" + realm + "\"") : Map.of();
        return new OAuthError(401, "invalid_client", "Client authentication failed", headers);
    }

    public static OAuthError unsupportedClientAuthentication(String description) {
        return new OAuthError(401, "invalid_client", description);
    }

    public static OAuthError tooManyFailures(long retryAfterSeconds) {
        return new OAuthError(429, "invalid_client", "Too many failed authentications for this client; try again later",
                Map.of("Retry-After", Long.toString(retryAfterSeconds)));
    }

    /** A client revoking faster than {@link RevocationRateLimiter#MAX_PER_MINUTE} a minute. */
    public static OAuthError revocationRateLimited(long retryAfterSeconds) {
        return new OAuthError(429, "rate_limited", "Too many revocations by this client; try again later",
                Map.of("Retry-After", Long.toString(retryAfterSeconds)));
    }

    /** A plan's token quota in enforce mode (docs/contract.md#token-policy), with its RateLimit headers. */
    public static OAuthError tokenQuotaExceeded(Map<String, String> rateLimitHeaders, long retryAfterSeconds) {
        Map<String, String> headers = new java.util.LinkedHashMap<>(rateLimitHeaders);
        headers.put("Retry-After", Long.toString(retryAfterSeconds));
        return new OAuthError(429, "rate_limited", "The subscription's token quota is used up; try again later", headers);
    }

    /** The same error, answered with these headers too (its own win). */
    public OAuthError withHeaders(Map<String, String> more) {
        if (more == null || more.isEmpty()) {
            return this;
        }
        Map<String, String> merged = new java.util.LinkedHashMap<>(more);
        merged.putAll(headers);
        return new OAuthError(status, error, description, merged);
    }

    public static OAuthError unauthorizedClient(String description) {
        return new OAuthError(400, "unauthorized_client", description);
    }

    public static OAuthError invalidScope(String description) {
        return new OAuthError(400, "invalid_scope", description);
    }

    public static OAuthError invalidTarget(String description) {
        return new OAuthError(400, "invalid_target", description);
    }

    /** RFC 9449 section 5. */
    public static OAuthError invalidDpopProof(String description) {
        return new OAuthError(400, "invalid_dpop_proof", description);
    }

    public static OAuthError temporarilyUnavailable() {
        return temporarilyUnavailable("The authorization server cannot reach its database; try again shortly");
    }

    /** RFC 6749 section 5.2, with the reason; {@code Retry-After: 5}. */
    public static OAuthError temporarilyUnavailable(String description) {
        return new OAuthError(503, "temporarily_unavailable", description, Map.of("Retry-After", "5"));
    }

    public static OAuthError methodNotAllowed(String endpoint) {
        return new OAuthError(405, "invalid_request", "The " + endpoint + " endpoint accepts only POST", Map.of("Allow", "POST"));
    }

    public static OAuthError serverError() {
        return new OAuthError(500, "server_error", "The authorization server met an unexpected condition");
    }

    public OAuthError withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new OAuthError(status, error, description, Map.copyOf(more));
    }

    public Map<String, Object> body() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("error_description", description);
        return body;
    }
}
