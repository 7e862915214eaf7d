package io.portcullis.registry;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The identifier rules of docs/contract.md#model and the paths no API may take
 * (docs/contract.md#gateway), shared by every aggregate's service.
 */
public final class RegistryRules {
    private RegistryRules() {
    }

    public static final Pattern AUTH_METHOD_ID = Pattern.compile("[a-z0-9_-]{1,64}");
    public static final Pattern API_ID = AUTH_METHOD_ID;
    public static final Pattern PLAN_ID = AUTH_METHOD_ID;
    public static final Pattern APPLICATION_ID = Pattern.compile("[a-z0-9_-]{4,50}");
    public static final Pattern SCOPE_ID = Pattern.compile("[a-zA-Z0-9_:.-]{1,128}");
    public static final Pattern REQUEST_PATH = Pattern.compile("(/[A-Za-z0-9_~!$&'()*+,;=:@-][A-Za-z0-9._~!$&'()*+,;=:@-]*)+");
    /** A route's path below the API: no trailing slash, no '%' or ';' (the gateway matches decoded segments). */
    static final Pattern ROUTE_PREFIX = Pattern.compile("/|(/[A-Za-z0-9_~!$&'()*+,=:@.-]+)+");
    static final Pattern DOT_SEGMENT = Pattern.compile(".*/\\.{1,2}(/.*)?");
    static final Pattern HTTP_METHOD = Pattern.compile("[A-Z]{1,16}");
    /** Portcullis's own paths, which no API may shadow (docs/contract.md#gateway). */
    public static final List<String> RESERVED_PATHS = List.of("/auth", "/admin", "/portal", "/q", "/.well-known");
    /** The API the admin REST API is, protected by Portcullis itself (docs/contract.md#management). */
    public static final String BUILTIN_ADMIN_API = "admin";

    /**
     * Where keys are published (a client's jwks_uri, a trusted issuer's): keys fetched over plain HTTP
     * could be replaced on the way, so https only, but for a loopback address.
     */
    static final Pattern KEY_SET_URL = Pattern.compile("https://[^\\s/?#]+(/\\S*)?|http://(127\\.0\\.0\\.1|localhost|\\[::1\\])(:\\d+)?(/\\S*)?");

    /** A JWK set of public asymmetric keys only (RFC 7517 section 5): no secret key, no private part. */
    static void requirePublicKeySet(String json, String field) {
        try {
            var set = new org.jose4j.jwk.JsonWebKeySet(json);
            if (set.getJsonWebKeys().isEmpty()) {
                throw RegistryException.invalid(field, "the JWK set has no keys");
            }
            for (var key : set.getJsonWebKeys()) {
                if (!(key instanceof org.jose4j.jwk.PublicJsonWebKey pub) || pub.getPrivateKey() != null) {
                    throw RegistryException.invalid(field, "the JWK set must hold public asymmetric keys only");
                }
            }
        } catch (org.jose4j.lang.JoseException e) {
            throw RegistryException.invalid(field, field + " is not a JWK set");
        }
    }

    static void require(Pattern pattern, String value, String field) {
        if (value == null || !pattern.matcher(value).matches()) {
            throw RegistryException.invalid(field, field + " must match " + pattern.pattern());
        }
    }

    /** Whole path segments: {@code /a} covers {@code /a/b}, not {@code /ab}. */
    static boolean overlaps(String a, String b) {
        return a.equals(b) || a.startsWith(b + "/") || b.startsWith(a + "/");
    }

    static String orDefault(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }

    static <T> List<T> nullToEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }
}
