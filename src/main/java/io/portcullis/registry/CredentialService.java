package io.portcullis.registry;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * A subscription's credentials after they were issued (docs/contract.md#model): secret rotation, the
 * public keys of private_key_jwt (RFC 7523), and credentials whose secret comes from configuration.
 */
@ApplicationScoped
@Transactional
public class CredentialService {
    static final int MAX_FEDERATED_IDENTITIES = 100;
    static final int MAX_SUBJECT = 1024;

    private final Registry registry;

    public CredentialService(Registry registry) {
        this.registry = registry;
    }

    /** Public clients cannot keep a secret (RFC 6749 section 2.1): they get a client id only. */
    static String issue(Subscription sub) {
        sub.approved = true;
        sub.clientId = ClientSecrets.newClientId();
        if (!sub.application.clientType.isConfidential()) {
            return null;
        }
        String secret = ClientSecrets.newSecret();
        sub.clientSecretHash = ClientSecrets.hash(secret);
        return secret;
    }

    /**
     * Replaces the secret; the old one keeps working for {@code grace}. The new secret is returned this
     * once. A secret still in its grace period from an earlier rotation is dropped: only the current
     * and the one before it are ever accepted.
     */
    public IssuedCredentials rotateSecret(UUID subscriptionId, Duration grace) {
        Subscription sub = SubscriptionService.entity(subscriptionId);
        if (sub.clientSecretHash == null) {
            throw RegistryException.conflict("clientSecret", "the subscription has no secret to rotate");
        }
        if (grace.isNegative()) {
            throw RegistryException.invalid("gracePeriod", "the grace period cannot be negative");
        }
        String secret = ClientSecrets.newSecret();
        if (grace.isZero()) {
            sub.previousSecretHash = null;
            sub.previousSecretExpiresAt = null;
        } else {
            sub.previousSecretHash = sub.clientSecretHash;
            sub.previousSecretExpiresAt = Instant.now().plus(grace);
        }
        sub.clientSecretHash = ClientSecrets.hash(secret);
        registry.changed();
        return new IssuedCredentials(sub.id, sub.approved, sub.clientId, secret);
    }

    /**
     * Registers the public keys a client signs its private_key_jwt assertions with (RFC 7523): a
     * JWK set, or the URL where the client publishes one. Private key material is refused.
     */
    public void setClientKeys(UUID subscriptionId, String jwks, String jwksUri) {
        Subscription sub = SubscriptionService.entity(subscriptionId);
        if (jwks != null) {
            RegistryRules.requirePublicKeySet(jwks, "jwks");
        }
        if (jwksUri != null && !RegistryRules.KEY_SET_URL.matcher(jwksUri).matches()) {
            throw RegistryException.invalid("jwksUri", "jwksUri must be an https URL");
        }
        sub.jwks = jwks;
        sub.jwksUri = jwksUri;
        registry.changed();
    }

    /**
     * Sets the subscription's client certificate credential (RFC 8705 section 2), or removes it with
     * null. The self-signed method compares the certificate's key with the subscription's registered
     * public keys (section 2.2), so it needs some.
     */
    public void setTlsClientAuth(UUID subscriptionId, TlsClientAuthDefinition tls) {
        Subscription sub = SubscriptionService.entity(subscriptionId);
        if (tls == null) {
            sub.tlsClientAuthMethod = null;
            sub.tlsClientAuthField = null;
            sub.tlsClientAuthValue = null;
            registry.changed();
            return;
        }
        tls.validate();
        if (!sub.application.clientType.isConfidential()) {
            throw RegistryException.invalid("method", "public clients cannot use the client credentials grant");
        }
        if (tls.selfSignedMethod() && sub.jwks == null && sub.jwksUri == null) {
            throw RegistryException.invalid("method", "self_signed_tls_client_auth compares the certificate's key with the "
                    + "subscription's public keys: register them first (PUT /admin/v1/subscriptions/{id}/keys)");
        }
        sub.tlsClientAuthMethod = tls.method();
        sub.tlsClientAuthField = tls.field() == null ? null : tls.field().column;
        sub.tlsClientAuthValue = tls.value();
        registry.changed();
    }

    /**
     * Replaces the workloads the subscription belongs to (docs/contract.md#federated-workload-identity).
     * One (issuer, subject) belongs to at most one subscription of an API: a second is a conflict.
     */
    public void setFederatedIdentities(UUID subscriptionId, List<FederatedIdentityDefinition> identities) {
        Subscription sub = SubscriptionService.entity(subscriptionId);
        if (identities == null || identities.size() > MAX_FEDERATED_IDENTITIES) {
            throw RegistryException.invalid("identities", "give a list of at most " + MAX_FEDERATED_IDENTITIES + " identities");
        }
        Set<FederatedIdentity> wanted = new LinkedHashSet<>();
        for (FederatedIdentityDefinition identity : identities) {
            if (identity == null || identity.trustedIssuer() == null || TrustedIssuer.findById(identity.trustedIssuer()) == null) {
                throw RegistryException.invalid("identities", "each identity names a trusted issuer that exists");
            }
            if (identity.subject() == null || identity.subject().isEmpty() || identity.subject().length() > MAX_SUBJECT
                    || identity.subject().chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                throw RegistryException.invalid("identities", "each identity's subject is 1 to " + MAX_SUBJECT + " printable characters");
            }
            FederatedIdentity f = new FederatedIdentity(sub.api.id, identity.trustedIssuer(), identity.subject());
            if (!wanted.add(f)) {
                throw RegistryException.invalid("identities", "an identity is listed twice");
            }
            if (Subscription.count("select count(s) from Subscription s join s.federatedIdentities f where f.apiId = ?1 "
                    + "and f.trustedIssuerId = ?2 and f.subject = ?3 and s.id <> ?4", f.apiId, f.trustedIssuerId, f.subject, sub.id) > 0) {
                throw RegistryException.conflict("identities", "subject '" + f.subject + "' of trusted issuer '" + f.trustedIssuerId
                        + "' belongs to another subscription of API '" + f.apiId + "'");
            }
        }
        if (!wanted.equals(sub.federatedIdentities)) {
            sub.federatedIdentities.clear();
            sub.federatedIdentities.addAll(wanted);
        }
        registry.changed();
    }

    /**
     * Sets credentials whose secret comes from configuration (the admin client's): everywhere else a
     * secret is made by {@link ClientSecrets#newSecret()}. A person chose it: a salted slow hash.
     */
    public void setConfiguredSecret(UUID subscriptionId, String clientId, String clientSecret) {
        Subscription sub = SubscriptionService.entity(subscriptionId);
        sub.clientId = clientId;
        sub.clientSecretHash = clientSecret == null ? null : ClientSecrets.hashChosen(clientSecret);
        registry.changed();
    }

    /** Sets credentials from a stored hash (the declarative file never holds a secret itself). */
    public void setSecretHash(UUID subscriptionId, String clientId, String clientSecretHash) {
        Subscription sub = SubscriptionService.entity(subscriptionId);
        if (!ClientSecrets.isHash(clientSecretHash)) {
            throw RegistryException.invalid("clientSecretHash", "not a secret hash");
        }
        if (Subscription.count("clientId = ?1 and id <> ?2", clientId, subscriptionId) > 0) {
            throw RegistryException.conflict("clientId", "client id '" + clientId + "' is taken");
        }
        sub.clientId = clientId;
        sub.clientSecretHash = clientSecretHash;
        registry.changed();
    }
}
