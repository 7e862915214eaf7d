package io.portcullis.token;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import java.time.Instant;

/** The token endpoint's DPoP jti memory, shared by every replica (the dpop_proof_jti table). */
@ApplicationScoped
public class DPoPReplayStore implements DPoPProofs.ReplayGuard {
    private final EntityManager em;

    public DPoPReplayStore(EntityManager em) {
        this.em = em;
    }

    @Override
    public boolean firstUse(String jkt, String jti, long expiresAtEpochSecond) {
        int inserted = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                        "insert into dpop_proof_jti (jkt, jti, expires_at) values (?1, ?2, ?3) on conflict do nothing")
                .setParameter(1, jkt)
                .setParameter(2, jti)
                .setParameter(3, Instant.ofEpochSecond(expiresAtEpochSecond))
                .executeUpdate());
        return inserted == 1;
    }
}
