package io.portcullis.keys;

import io.portcullis.config.PortcullisConfig;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import org.jboss.logging.Logger;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.lang.JoseException;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The server's signing keys (docs/contract.md (access tokens; discovery and keys)). Keys live in the database so that every
 * replica signs with the same one; the first replica to start creates it, under an advisory lock
 * so that two replicas starting together do not both do so.
 */
@ApplicationScoped
public class SigningKeys {
    private static final Logger LOG = Logger.getLogger(SigningKeys.class);
    /** The key tokens are signed with now. */
    public record ActiveKey(String kid, String alg, SignatureAlgorithm algorithm, PrivateKey privateKey) {
        @Override
        public String toString() {
            return "ActiveKey[kid=" + kid + ", alg=" + alg + "]";
        }
    }

    private final PortcullisConfig config;
    private final EntityManager em;
    private volatile ActiveKey active;
    private volatile KeyEncryption encryption;
    private volatile Published published = new Published("{\"keys\":[]}", Map.of());
    private volatile boolean refreshFailing;

    private record Published(String json, Map<String, PublicKey> keys) {
    }

    public SigningKeys(PortcullisConfig config, EntityManager em) {
        this.config = config;
        this.em = em;
    }

    void onStart(@Observes StartupEvent event) {
        String alg = config.keys().algorithm();
        if (!JwsAlgorithm.NAMES.contains(alg)) {
            throw new IllegalStateException("portcullis.keys.algorithm must be one of " + JwsAlgorithm.NAMES + ", not " + alg);
        }
        encryption = new KeyEncryption(KeyEncryptionSecret.resolve(config.keys().encryptionSecret()));
        active = QuarkusTransaction.requiringNew().call(() -> ensureKeys(alg));
        LOG.infof("Signing with key %s (%s)", active.kid(), active.alg());
        refreshPublished();
        rotateWhenDue();
    }

    /** Scheduled work waits for the start-up, which loads the key encryption secret and the active key. */
    @jakarta.inject.Singleton
    static class NotStarted implements Scheduled.SkipPredicate {
        @jakarta.inject.Inject
        SigningKeys keys;

        @Override
        public boolean test(io.quarkus.scheduler.ScheduledExecution execution) {
            return !keys.isReady();
        }
    }

    public ActiveKey current() {
        ActiveKey key = active;
        if (key == null) {
            throw new IllegalStateException("no signing key is loaded yet");
        }
        return key;
    }

    public boolean isReady() {
        return active != null;
    }

    /**
     * The JWK set (RFC 7517 section 5) of every public key that may still verify a live token: the
     * next key, the active one, and retired ones until their last token has expired. Served from
     * memory; {@link #refreshPublished()} reloads it every few seconds, and when the database cannot
     * be read the last good set stays, so verifiers keep working through an outage.
     */
    public String jwksJson() {
        return published.json();
    }

    /** Every key, newest first. */
    public List<KeyState> states() {
        return QuarkusTransaction.requiringNew().call(() -> SigningKey.<SigningKey>listAll(io.quarkus.panache.common.Sort.by("createdAt").descending())
                .stream().map(KeyState::of).toList());
    }

    /** The public key with this kid, if it is published; the gateway's verification key resolver. */
    public PublicKey verificationKey(String kid) {
        return published.keys().get(kid);
    }

    /** Serialised: a refresh that read the keys before a rotation committed must not overwrite one that read them after. */
    @Scheduled(every = "5s", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = NotStarted.class)
    synchronized void refreshPublished() {
        try {
            List<SigningKey> keys = QuarkusTransaction.requiringNew().call(() -> SigningKey.<SigningKey>find(
                    "status in ('next', 'active') or publishUntil > ?1 order by createdAt desc", Instant.now()).list());
            Map<String, PublicKey> byKid = new LinkedHashMap<>();
            for (SigningKey key : keys) {
                byKid.put(key.kid, publicKey(key.publicJwk));
                ActiveKey signing = active;
                if (SigningKey.ACTIVE.equals(key.status) && (signing == null || !signing.kid().equals(key.kid))) {
                    // another replica rotated: sign with the key all of them now agree on
                    active = load(key);
                    LOG.infof("Signing with key %s (%s)", key.kid, key.alg);
                }
            }
            String json = "{\"keys\":[" + String.join(",", keys.stream().map(k -> k.publicJwk).toList()) + "]}";
            published = new Published(json, Map.copyOf(byKid));
            if (refreshFailing) {
                LOG.info("Signing keys are readable again");
                refreshFailing = false;
            }
        } catch (RuntimeException e) {
            if (!refreshFailing) {
                LOG.warnf("Cannot read the signing keys (%s); serving the last known JWKS", e.getClass().getSimpleName());
                refreshFailing = true;
            }
        }
    }

    /**
     * At start: an active key of the configured algorithm, and a next key published ahead of it.
     * A key of another algorithm (the setting changed) is retired; it stays published until the
     * last token it signed has expired.
     */
    private ActiveKey ensureKeys(String alg) {
        lock();
        SigningKey current = SigningKey.find("status", SigningKey.ACTIVE).firstResult();
        ActiveKey loaded = null;
        if (current != null && current.alg.equals(alg)) {
            try {
                loaded = load(current);
            } catch (KeyEncryption.KeyDecryptionException e) {
                if (LaunchMode.current() == LaunchMode.NORMAL) {
                    throw e;
                }
                LOG.warnf("Signing key %s was encrypted under another secret; dev mode retires it and makes a new one", current.kid);
            }
        }
        if (loaded == null) {
            if (current != null) {
                retire(current, Instant.now());
            }
            SigningKey created = create(alg);
            created.status = SigningKey.ACTIVE;
            created.activatedAt = created.createdAt;
            created.persist();
            loaded = load(created);
        }
        SigningKey next = SigningKey.find("status", SigningKey.NEXT).firstResult();
        if (next != null && !next.alg.equals(alg)) {
            next.delete(); // it never signed anything
            next = null;
        }
        if (next == null) {
            SigningKey created = create(alg);
            created.status = SigningKey.NEXT;
            created.persist();
        }
        return loaded;
    }

    /**
     * Key rotation (docs/contract.md#discovery-and-keys): the next key, published for at least
     * {@code portcullis.keys.publish-ahead}, starts signing; the active key retires but stays in the
     * JWKS until the last token it signed has expired; a new next key is published. Every replica
     * picks the new active key up within its refresh interval; until then it signs with the old
     * one, which still verifies everywhere.
     *
     * @return the kid that signs from now on
     * @throws IllegalStateException when the next key has not been published long enough
     */
    public String rotate() {
        String kid = QuarkusTransaction.requiringNew().call(() -> {
            lock();
            SigningKey next = SigningKey.find("status", SigningKey.NEXT).firstResult();
            Instant now = Instant.now();
            if (next == null) {
                throw new IllegalStateException("there is no next key yet");
            }
            Instant publishable = next.createdAt.plus(config.keys().publishAhead());
            if (now.isBefore(publishable)) {
                throw new IllegalStateException("the next key has been published for less than "
                        + config.keys().publishAhead().toSeconds() + " s; rotate after " + publishable);
            }
            SigningKey current = SigningKey.find("status", SigningKey.ACTIVE).firstResult();
            if (current != null) {
                retire(current, now);
            }
            next.status = SigningKey.ACTIVE;
            next.activatedAt = now;
            em.flush();
            SigningKey created = create(next.alg);
            created.status = SigningKey.NEXT;
            created.persist();
            LOG.infof("Rotated signing keys: %s signs now; %s is published as the next key", next.kid, created.kid);
            return next.kid;
        });
        refreshPublished();
        return kid;
    }

    /** The scheduled policy: rotate when the active key is older than {@code portcullis.keys.rotation-period}. */
    @Scheduled(every = "1h", delayed = "1h", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = NotStarted.class)
    void rotateWhenDue() {
        try {
            ActiveKey key = active;
            Instant activatedAt = QuarkusTransaction.requiringNew().call(() -> {
                SigningKey current = SigningKey.find("status", SigningKey.ACTIVE).firstResult();
                return current == null ? null : current.activatedAt;
            });
            if (key != null && activatedAt != null && activatedAt.plus(config.keys().rotationPeriod()).isBefore(Instant.now())) {
                rotate();
            }
        } catch (RuntimeException e) {
            LOG.warnf("Scheduled key rotation did not run: %s", e.getMessage());
        }
    }

    private void retire(SigningKey key, Instant now) {
        // published until the last token it signed has expired, with a margin for clock skew
        int longest = ((Number) em.createNativeQuery("select coalesce(max(token_lifetime_seconds), 0) from api")
                .getSingleResult()).intValue();
        key.status = SigningKey.RETIRED;
        key.retiredAt = now;
        key.publishUntil = now.plusSeconds(longest + 300L);
        em.flush();
        LOG.infof("Retired signing key %s (%s); it stays in the JWKS until %s", key.kid, key.alg, key.publishUntil);
    }

    /** Replicas starting or rotating at once take turns. */
    private void lock() {
        io.portcullis.ops.AdvisoryLocks.SIGNING_KEYS.acquire();
    }

    private SigningKey create(String alg) {
        try {
            KeyPair pair = KeyPairs.generate(alg);
            PublicJsonWebKey jwk = PublicJsonWebKey.Factory.newPublicJwk(pair.getPublic());
            String kid = jwk.calculateBase64urlEncodedThumbprint("SHA-256");
            jwk.setKeyId(kid);
            jwk.setAlgorithm(alg);
            jwk.setUse("sig");
            SigningKey key = new SigningKey();
            key.kid = kid;
            key.alg = alg;
            key.publicJwk = jwk.toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
            key.privateKeyEncrypted = encryption.encrypt(pair.getPrivate().getEncoded(), kid);
            key.createdAt = Instant.now();
            LOG.infof("Created signing key %s (%s)", kid, alg);
            return key;
        } catch (GeneralSecurityException | JoseException e) {
            throw new IllegalStateException("cannot create a " + alg + " signing key", e);
        }
    }

    private ActiveKey load(SigningKey key) {
        byte[] pkcs8 = encryption.decrypt(key.privateKeyEncrypted, key.kid);
        try {
            PrivateKey privateKey = KeyFactory.getInstance(KeyPairs.family(key.alg)).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            return new ActiveKey(key.kid, key.alg, SignatureAlgorithm.fromAlgorithm(key.alg), privateKey);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("signing key " + key.kid + " is not a valid " + key.alg + " key", e);
        } finally {
            java.util.Arrays.fill(pkcs8, (byte) 0);
        }
    }

    /** Public key of a published JWK, for verifiers inside this process. */
    public static PublicKey publicKey(String jwkJson) {
        try {
            return PublicJsonWebKey.Factory.newPublicJwk(jwkJson).getPublicKey();
        } catch (JoseException e) {
            throw new IllegalStateException("stored JWK is unreadable", e);
        }
    }

}
