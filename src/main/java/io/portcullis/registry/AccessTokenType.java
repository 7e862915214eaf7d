package io.portcullis.registry;

import java.util.Locale;

/**
 * The {@code typ} header an API's access tokens carry. RFC 9068 section 2.1 says {@code at+jwt}, so
 * that a resource server cannot take another JWT (an ID token, a client assertion) for an access
 * token (RFC 8725 section 3.11); some resource servers accept nothing but {@code JWT}, and an API can
 * choose that for them. The gateway and introspection then expect exactly the API's type.
 */
public enum AccessTokenType {
    AT_JWT("at+jwt"),
    JWT("JWT");

    public final String value;

    AccessTokenType(String value) {
        this.value = value;
    }

    /** The stored value; an unknown one is the default (the database's check constraint keeps it known). */
    public static AccessTokenType of(String stored) {
        AccessTokenType type = ofName(stored);
        return type == null ? AT_JWT : type;
    }

    /** The type a name stands for, or null; as configured: {@code at+jwt} or {@code JWT}. */
    public static AccessTokenType ofName(String name) {
        for (AccessTokenType type : values()) {
            if (type.value.equals(name)) {
                return type;
            }
        }
        return null;
    }

    /**
     * The type a JWT's {@code typ} header says, or null for any other: media types are compared without
     * case, and the {@code application/} prefix may be left out (RFC 7515 section 4.1.9).
     */
    public static AccessTokenType ofHeader(String typ) {
        if (typ == null) {
            return null;
        }
        String t = typ.toLowerCase(Locale.ROOT);
        if (t.startsWith("application/")) {
            t = t.substring("application/".length());
        }
        return switch (t) {
            case "at+jwt" -> AT_JWT;
            case "jwt" -> JWT;
            default -> null;
        };
    }
}
