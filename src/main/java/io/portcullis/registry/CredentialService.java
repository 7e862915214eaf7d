package io.portcullis.registry;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.lang.JoseException;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A subscription's credentials after they were issued (docs/contract.md#model): secret rotation, the
 * public keys of private_key_jwt (RFC 7523), and credentials whose secret comes from configuration.
 */
@ApplicationScoped
@Transactional
public class CredentialService {
    /** Keys fetched over plain HTTP could be replaced on the way: https only, but for a loopback address. */
    private static final Pattern JWKS_URI = Pattern.compile("https://\\S+|http://(127\\.0\\.0\\.1|localhost|\\[::1\\])(:\\d+)?/\\S*");

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
            requirePublicKeySet(jwks);
        }
        if (jwksUri != null && !JWKS_URI.matcher(jwksUri).matches()) {
            throw RegistryException.invalid("jwksUri", "jwksUri must be an https URL");
        }
        sub.jwks = jwks;
        sub.jwksUri = jwksUri;
        registry.changed();
    }

    private static void requirePublicKeySet(String jwks) {
        try {
            var set = new JsonWebKeySet(jwks);
            if (set.getJsonWebKeys().isEmpty()) {
                throw RegistryException.invalid("jwks", "the JWK set has no keys");
            }
            for (var key : set.getJsonWebKeys()) {
                if (!(key instanceof PublicJsonWebKey pub) || pub.getPrivateKey() != null) {
                    throw RegistryException.invalid("jwks", "the JWK set must hold public asymmetric keys only");
                }
            }
        } catch (JoseException e) {
            throw RegistryException.invalid("jwks", "jwks is not a JWK set");
        }
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
