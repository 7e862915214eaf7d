package io.portcullis.registry;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;

import java.util.Objects;

/**
 * A workload a subscription belongs to: the subject a trusted issuer names it by. The API id is
 * stored beside it so that the database holds one (issuer, subject) to one subscription of an API.
 */
@Embeddable
public class FederatedIdentity {
    @Column(name = "api_id", nullable = false)
    public String apiId;

    @Column(name = "trusted_issuer_id", nullable = false)
    public String trustedIssuerId;

    @Column(name = "subject", nullable = false)
    public String subject;

    public FederatedIdentity() {
    }

    public FederatedIdentity(String apiId, String trustedIssuerId, String subject) {
        this.apiId = apiId;
        this.trustedIssuerId = trustedIssuerId;
        this.subject = subject;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FederatedIdentity other && Objects.equals(apiId, other.apiId)
                && Objects.equals(trustedIssuerId, other.trustedIssuerId) && Objects.equals(subject, other.subject);
    }

    @Override
    public int hashCode() {
        return Objects.hash(apiId, trustedIssuerId, subject);
    }
}
