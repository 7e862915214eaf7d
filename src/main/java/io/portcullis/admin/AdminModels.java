package io.portcullis.admin;

/**
 * The admin API's request bodies that are not a definition of the registry's (those are
 * {@link io.portcullis.registry.ApiDefinition} and its siblings, shared with the declarative file).
 */
public final class AdminModels {
    private AdminModels() {
    }

    public record SecretRotation(Long gracePeriodSeconds) {
    }

    public record ClientKeys(Object jwks, String jwksUri) {
    }

    public record FederatedIdentities(java.util.List<io.portcullis.registry.FederatedIdentityDefinition> identities) {
    }
}
