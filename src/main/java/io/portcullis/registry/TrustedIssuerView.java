package io.portcullis.registry;

import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.lang.JoseException;

import java.util.List;
import java.util.Set;

/**
 * A trusted issuer as the token endpoint reads it from the registry snapshot: its definition, its
 * audiences as a set, and an inline key set parsed once.
 */
public record TrustedIssuerView(TrustedIssuerDefinition definition, Set<String> audiences, List<JsonWebKey> inlineKeys) {
    public static TrustedIssuerView of(TrustedIssuerDefinition d) {
        try {
            String jwks = d.jwksJson();
            return new TrustedIssuerView(d, Set.copyOf(d.audiences()),
                    jwks == null ? List.of() : List.copyOf(new JsonWebKeySet(jwks).getJsonWebKeys()));
        } catch (JoseException e) {
            throw new IllegalStateException("trusted issuer " + d.id() + " has an unreadable JWK set", e);
        }
    }

    public String id() {
        return definition.id();
    }

    public String issuer() {
        return definition.issuer();
    }

    public int maxTokenLifetimeSeconds() {
        return definition.maxTokenLifetimeSeconds();
    }

    /** A stable name of where its keys come from, so that a changed source is fetched anew. */
    public String keySourceKey() {
        return "issuer " + definition.id() + " " + definition.jwksUri() + " " + definition.discovery() + " "
                + definition.caFile() + " " + definition.bearerTokenFile() + " " + definition.issuer();
    }
}
