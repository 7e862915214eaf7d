package io.portcullis.registry;

/** A workload a subscription belongs to: {@code subject} as the trusted issuer {@code trustedIssuer} names it. */
public record FederatedIdentityDefinition(String trustedIssuer, String subject) {
    static FederatedIdentityDefinition of(FederatedIdentity f) {
        return new FederatedIdentityDefinition(f.trustedIssuerId, f.subject);
    }
}
