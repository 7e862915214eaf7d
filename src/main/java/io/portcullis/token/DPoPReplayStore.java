package io.portcullis.token;

import jakarta.enterprise.context.ApplicationScoped;

/** The token endpoint's DPoP jti memory, shared by every replica. */
@ApplicationScoped
public class DPoPReplayStore implements DPoPProofs.ReplayGuard {
    private final OneTimeIds ids;

    public DPoPReplayStore(OneTimeIds ids) {
        this.ids = ids;
    }

    @Override
    public boolean firstUse(String jkt, String jti, long expiresAtEpochSecond) {
        return ids.firstUse(OneTimeIds.Kind.DPOP_PROOF, jkt, jti, expiresAtEpochSecond);
    }
}
