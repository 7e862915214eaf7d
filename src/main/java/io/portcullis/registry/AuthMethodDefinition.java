package io.portcullis.registry;

/** An auth method as the admin API, the declarative file and {@link AuthMethodService} read and write it. */
public record AuthMethodDefinition(String id, String friendlyName, String description, Boolean enabled) {
    static AuthMethodDefinition of(AuthMethod m) {
        return new AuthMethodDefinition(m.id, m.friendlyName, m.description, m.enabled);
    }
}
