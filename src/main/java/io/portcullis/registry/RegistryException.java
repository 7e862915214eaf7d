package io.portcullis.registry;

/** A change the registry's rules refuse; {@link #field} names the offending input when there is one. */
public class RegistryException extends RuntimeException {
    public enum Kind { INVALID, NOT_FOUND, CONFLICT }

    public final Kind kind;
    public final String field;

    public RegistryException(Kind kind, String field, String message) {
        super(message);
        this.kind = kind;
        this.field = field;
    }

    public static RegistryException invalid(String field, String message) {
        return new RegistryException(Kind.INVALID, field, message);
    }

    public static RegistryException notFound(String what, String id) {
        return new RegistryException(Kind.NOT_FOUND, null, what + " '" + id + "' does not exist");
    }

    public static RegistryException conflict(String field, String message) {
        return new RegistryException(Kind.CONFLICT, field, message);
    }
}
