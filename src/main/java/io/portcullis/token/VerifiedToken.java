package io.portcullis.token;

import java.util.Set;

/** What a verified access token says, kept while it is valid so the next request is a lookup. */
public record VerifiedToken(
        String issuer,
        String audience,
        String clientId,
        String subscriptionId,
        String applicationId,
        String planId,
        String authMethod,
        Set<String> scopes,
        long issuedAt,
        long expiresAt,
        String jti,
        String subject,
        String jkt,
        String x5t,
        io.portcullis.registry.AccessTokenType type,
        java.util.Map<String, Object> extraClaims) {

    /** RFC 9449 section 6: bound to a client's DPoP key. */
    public boolean isDPoPBound() {
        return jkt != null;
    }

    /** RFC 8705 section 3: bound to a client certificate, by its {@code x5t#S256}. */
    public boolean isCertificateBound() {
        return x5t != null;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The one way to make a token's view: fourteen claims by position invite a swap. */
    public static final class Builder {
        private String issuer;
        private String audience;
        private String clientId;
        private String subscriptionId;
        private String applicationId;
        private String planId;
        private String authMethod;
        private Set<String> scopes;
        private long issuedAt;
        private long expiresAt;
        private String jti;
        private String subject;
        private String jkt;
        private String x5t;
        private io.portcullis.registry.AccessTokenType type;
        private java.util.Map<String, Object> extraClaims = java.util.Map.of();

        private Builder() {
        }

        public Builder issuer(String v) {
            issuer = v;
            return this;
        }

        public Builder audience(String v) {
            audience = v;
            return this;
        }

        public Builder clientId(String v) {
            clientId = v;
            return this;
        }

        public Builder subscriptionId(String v) {
            subscriptionId = v;
            return this;
        }

        public Builder applicationId(String v) {
            applicationId = v;
            return this;
        }

        public Builder planId(String v) {
            planId = v;
            return this;
        }

        public Builder authMethod(String v) {
            authMethod = v;
            return this;
        }

        public Builder scopes(Set<String> v) {
            scopes = v;
            return this;
        }

        public Builder issuedAt(long v) {
            issuedAt = v;
            return this;
        }

        public Builder expiresAt(long v) {
            expiresAt = v;
            return this;
        }

        public Builder jti(String v) {
            jti = v;
            return this;
        }

        public Builder subject(String v) {
            subject = v;
            return this;
        }

        public Builder jkt(String v) {
            jkt = v;
            return this;
        }

        public Builder x5t(String v) {
            x5t = v;
            return this;
        }

        public Builder type(io.portcullis.registry.AccessTokenType v) {
            type = v;
            return this;
        }

        /** The claims an admin added (docs/contract.md#token-policy), which introspection shows. */
        public Builder extraClaims(java.util.Map<String, Object> v) {
            extraClaims = v;
            return this;
        }

        public VerifiedToken build() {
            return new VerifiedToken(issuer, audience, clientId, subscriptionId, applicationId, planId, authMethod, scopes, issuedAt, expiresAt, jti, subject, jkt, x5t, type, extraClaims);
        }
    }
}
