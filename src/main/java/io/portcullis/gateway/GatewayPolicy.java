package io.portcullis.gateway;

import io.portcullis.registry.ApiView;
import io.portcullis.registry.ClientView;
import io.portcullis.token.VerifiedToken;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Who may pass the gateway into an API (CONTRACT section 5): the decisions, without HTTP, in the
 * order they are taken. Each failure is a {@link BearerError} worded for the caller.
 */
public final class GatewayPolicy {
    /** RFC 6750 section 2.1: b64token after a case-insensitive scheme and one space. */
    private static final Pattern BEARER = Pattern.compile("(?i)Bearer ([A-Za-z0-9._~+/-]+=*)");

    private GatewayPolicy() {
    }

    /** RFC 6750 section 2.1; a token in the query or the body is not accepted. */
    public static String bearerToken(List<String> authorization, String realm) {
        if (authorization == null || authorization.isEmpty()) {
            throw BearerError.missing(realm);
        }
        if (authorization.size() > 1) {
            throw BearerError.malformed(realm, "The Authorization header is given more than once");
        }
        String header = authorization.get(0);
        var matcher = BEARER.matcher(header);
        if (matcher.matches()) {
            return matcher.group(1);
        }
        if (header.regionMatches(true, 0, "Bearer", 0, 6)) {
            throw BearerError.invalidToken(realm, "The access token is malformed");
        }
        throw BearerError.missing(realm);
    }

    /** RFC 9068 section 4: the token must be for this API, from one of this server's issuers for it. */
    public static void checkAudienceAndIssuer(ApiView api, VerifiedToken token, String baseUrl) {
        if (!api.id().equals(token.audience())) {
            throw BearerError.invalidToken(api.id(), "The access token is not for this API");
        }
        String expected = baseUrl + "/auth/" + token.authMethod() + "/api/" + api.id();
        if (!expected.equals(token.issuer()) || !api.accepts(token.authMethod())) {
            throw BearerError.invalidToken(api.id(), "The access token is not for this API");
        }
    }

    /** A token outlives nothing it was issued for: a subscription deleted or unapproved since then ends it. */
    public static void checkSubscription(ApiView api, VerifiedToken token, Optional<ClientView> client) {
        ClientView view = client.orElse(null);
        if (view == null || !view.subscriptionId().toString().equals(token.subscriptionId())
                || !view.apiId().equals(api.id())) {
            throw BearerError.invalidToken(api.id(), "The subscription of this access token no longer exists");
        }
        if (!view.approved()) {
            throw BearerError.invalidToken(api.id(), "The subscription of this access token is not approved");
        }
    }

    /** RFC 6750 section 3.1 insufficient_scope, naming what the route needs. */
    public static void checkScopes(ApiView api, VerifiedToken token, String method, String pathInApi) {
        Set<String> required = api.requiredScopes(method, pathInApi);
        if (!token.scopes().containsAll(required)) {
            throw BearerError.insufficientScope(api.id(), required);
        }
    }
}
