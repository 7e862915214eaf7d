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
