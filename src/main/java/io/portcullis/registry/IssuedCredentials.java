package io.portcullis.registry;

import java.util.UUID;

/**
 * The outcome of subscribing, approving or rotating. {@code clientSecret} is the only copy of the
 * secret there will ever be; it is null when nothing was issued (pending, or a public client).
 */
public record IssuedCredentials(UUID subscriptionId, boolean approved, String clientId, String clientSecret) {
    @Override
    public String toString() {
        return "IssuedCredentials[subscription=" + subscriptionId + ", approved=" + approved + ", clientId=" + clientId + "]";
    }
}
