package io.portcullis.resource;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A refusal of a protected resource request (RFC 6750 section 3), worded as docs/contract.md#gateway
 * says. Descriptions are fixed phrases: nothing from the token is echoed.
 */
public class BearerError extends RuntimeException {
    public final int status;
    public final String realm;
    public final String error;
    public final String description;
    /** For insufficient_scope: the scopes the request needs. */
    public final Set<String> scope;
    /** The challenge's scheme: Bearer (RFC 6750), or DPoP (RFC 9449 section 7.1) with its algorithms. */
    public final String scheme;

    private BearerError(int status, String realm, String error, String description, Set<String> scope, String scheme) {
        super(error + ": " + description, null, false, false);
        this.status = status;
        this.realm = realm;
        this.error = error;
        this.description = description;
        this.scope = scope;
        this.scheme = scheme;
    }

    private BearerError(int status, String realm, String error, String description, Set<String> scope) {
        this(status, realm, error, description, scope, "Bearer");
    }

    /** RFC 9449 section 7.1: a DPoP challenge, error invalid_token or invalid_dpop_proof. */
    public static BearerError dpop(String realm, String error, String description) {
        return new BearerError(401, realm, error, description, Set.of(), "DPoP");
    }

    /** The same refusal, challenging with the DPoP scheme. */
    public BearerError asDPoP() {
        return new BearerError(status, realm, error, description, scope, "DPoP");
    }

    /** RFC 6750 section 3.1: no error attribute in the challenge when no credentials were sent. */
    public static BearerError missing(String realm) {
        return new BearerError(401, realm, "invalid_request", "The access token is missing", Set.of());
    }

    public static BearerError malformed(String realm, String description) {
        return new BearerError(400, realm, "invalid_request", description, Set.of());
    }

    public static BearerError invalidToken(String realm, String description) {
        return new BearerError(401, realm, "invalid_token", description, Set.of());
    }

    public static BearerError insufficientScope(String realm, Set<String> required) {
        return new BearerError(403, realm, "insufficient_scope", "The access token lacks a scope this request needs", required);
    }

    /** The WWW-Authenticate challenge (RFC 6750 section 3, RFC 9449 section 7.1), without resource metadata. */
    public String challenge() {
        return challenge(null);
    }

    /**
     * The one renderer of WWW-Authenticate challenges; with the resource's RFC 9728 metadata URL on a
     * 401 when it has a public one (section 5.1).
     */
    public String challenge(String resourceMetadata) {
        StringBuilder header = new StringBuilder(scheme).append(" realm=\"").append(realm).append('"');
        if (scheme.equals("DPoP")) {
            header.append(", algs=\"").append(String.join(" ", io.portcullis.keys.JwsAlgorithm.NAMES)).append('"');
        }
        if (status != 401 || !error.equals("invalid_request")) {
            header.append(", error=\"").append(error).append('"')
                    .append(", error_description=\"").append(description).append('"');
        }
        if (!scope.isEmpty()) {
            header.append(", scope=\"").append(String.join(" ", scope)).append('"');
        }
        if (resourceMetadata != null && status == 401) {
            header.append(", resource_metadata=\"").append(resourceMetadata).append('"');
        }
        return header.toString();
    }

    public Map<String, Object> body() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("error_description", description);
        if (!scope.isEmpty()) {
            body.put("scope", String.join(" ", scope));
        }
        return body;
    }
}
