package io.portcullis.token;

import io.portcullis.registry.RegisteredClient;

/**
 * Who authenticated at a token endpoint, and with what: a client authentication method's name
 * ({@code client_secret_basic}, {@code client_secret_post}, {@code private_key_jwt},
 * {@code tls_client_auth}, {@code self_signed_tls_client_auth}, or {@code federated} for a workload's
 * JWT) and, for a workload, its trusted issuer and subject; for a certificate, its subject DN.
 */
public record ClientAuthentication(RegisteredClient client, String credential, String credentialSubject) {
    public static final String FEDERATED = "federated";
}
