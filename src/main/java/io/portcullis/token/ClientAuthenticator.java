package io.portcullis.token;

import io.portcullis.federation.WorkloadAssertions;
import io.portcullis.mtls.ClientCertificate;
import io.portcullis.mtls.TlsClientAuthentication;
import io.portcullis.registry.ApiView;
import io.portcullis.registry.TrustedIssuerView;
import io.portcullis.registry.ClientSecrets;
import io.portcullis.registry.RegisteredClient;
import io.portcullis.registry.Registry;
import jakarta.enterprise.context.ApplicationScoped;
import org.jose4j.jwt.consumer.JwtContext;

import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Client authentication at the token endpoint family: client_secret_basic and client_secret_post
 * (RFC 6749 section 2.3.1) against the subscription's stored hash (and, during a rotation's grace
 * period, the previous one), private_key_jwt (RFC 7523 section 3) against its public keys, and a
 * workload's JWT from a trusted issuer (RFC 7523 section 2.2, docs/contract.md#federated-workload-identity)
 * against the subscriptions' federated identities, and a TLS client certificate (RFC 8705 section 2,
 * docs/contract.md#mutual-tls) against the subscription's certificate credential. The one
 * client-authentication path.
 *
 * <p>Every failure answers the same {@code invalid_client}, whichever part was wrong, and an
 * unknown client id costs the same hash comparisons as a wrong secret.
 */
@ApplicationScoped
public class ClientAuthenticator {
    /** Client ids are made by {@link ClientSecrets#newClientId()}; anything else is unknown without asking the database. */
    static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9_.-]{8,64}");

    private final Registry registry;
    private final FailedAuthenticationLimiter limiter;
    private final ClientAssertions assertions;
    private final WorkloadAssertions workloads;
    private final TlsClientAuthentication certificates;

    public ClientAuthenticator(Registry registry, FailedAuthenticationLimiter limiter, ClientAssertions assertions,
                               WorkloadAssertions workloads, TlsClientAuthentication certificates) {
        this.registry = registry;
        this.certificates = certificates;
        this.limiter = limiter;
        this.assertions = assertions;
        this.workloads = workloads;
    }

    /**
     * @param certificate the client certificate the request came with, or null
     * @param issuer    this authorization server's issuer identifier, which a private_key_jwt
     *                  assertion must name as its {@code aud}
     * @param address   the caller's address, which failures are counted by besides the client id
     * @return the subscription the credentials belong to, which is one of {@code api}'s, and how it authenticated
     * @throws OAuthError invalid_client (401), 429 when locked out, or unauthorized_client for a public client
     */
    public ClientAuthentication authenticate(ApiView api, TokenRequest request, ClientCertificate certificate, String issuer,
                                             String address) {
        boolean basic = request.authenticationMethod() == ClientAuthenticationMethod.CLIENT_SECRET_BASIC;
        boolean assertion = request.authenticationMethod() == ClientAuthenticationMethod.PRIVATE_KEY_JWT;
        // RFC 8705 section 2: a client id and no other credential than the connection's certificate
        boolean tls = request.authenticationMethod() == ClientAuthenticationMethod.NONE && certificate != null;
        // a workload's JWT names an issuer an admin trusts; a client's own assertion names the client
        JwtContext parsed = assertion ? WorkloadAssertions.parse(request.clientAssertion()) : null;
        Optional<TrustedIssuerView> trusted = registry.trustedIssuer(WorkloadAssertions.claimedIssuer(parsed));
        if (trusted.isPresent()) {
            return federated(api, request, trusted.get(), parsed, address);
        }
        boolean spiffe = WorkloadAssertions.JWT_SPIFFE.equals(request.parameter("client_assertion_type"));
        String clientId = assertion
                ? (spiffe ? null : assertions.claimedClientId(request.clientAssertion(), request.clientId()))
                : request.clientId();
        boolean wellFormed = clientId != null && CLIENT_ID.matcher(clientId).matches();
        Optional<RegisteredClient> found = wellFormed ? registry.client(clientId) : Optional.empty();
        RegisteredClient client = found.orElse(null);
        refusePublic(api, client);
        // Credentials are checked before any throttling: a request whose credentials verify is answered
        // on its merits however many failures its client id or address has had, so that knowing a client
        // id (it is in every token) never lets anyone lock its owner out (docs/contract.md#token-endpoint).
        boolean authenticated;
        try {
            authenticated = assertion
                    ? client != null && assertions.verify(client, request.clientAssertion(), issuer)
                    : tls ? certificates.verify(client, certificate, Instant.now())
                    : secretMatches(client, request.clientSecret());
        } catch (ClientSecrets.SecretCheckBusy e) {
            // neither a success nor a failure: the caller tries again, and nothing is counted against it
            throw OAuthError.temporarilyUnavailable();
        }
        if (authenticated && client != null && client.apiId().equals(api.id())) {
            return tls ? new ClientAuthentication(client, client.tlsClientAuth().method(), certificate.leaf().getSubjectX500Principal().getName())
                    : new ClientAuthentication(client, request.authenticationMethod().value, null);
        }
        // only ids of real subscriptions are counted by id: a secret pasted into client_id stays out of the table
        throw refused(api, basic, client != null ? clientId : null, address);
    }

    /**
     * docs/contract.md#federated-workload-identity: the workload's JWT verifies, and its subject is a
     * federated identity of a subscription of this API (the one {@code client_id} names, if given).
     */
    private ClientAuthentication federated(ApiView api, TokenRequest request, TrustedIssuerView issuer, JwtContext parsed,
                                           String address) {
        String subject = workloads.verify(issuer, parsed, Instant.now().getEpochSecond());
        RegisteredClient client = subject == null ? null
                : registry.federatedClient(api.id(), issuer.id(), subject).orElse(null);
        refusePublic(api, client);
        if (client != null && client.apiId().equals(api.id())
                && (request.clientId() == null || request.clientId().equals(client.clientId()))) {
            return new ClientAuthentication(client, ClientAuthentication.FEDERATED, issuer.id() + " " + subject);
        }
        String claimed = request.clientId();
        boolean real = claimed != null && CLIENT_ID.matcher(claimed).matches() && registry.client(claimed).isPresent();
        throw refused(api, false, real ? claimed : null, address);
    }

    /** RFC 6749 section 4.4: the grant is for confidential clients only. */
    private static void refusePublic(ApiView api, RegisteredClient client) {
        if (client != null && !client.clientType().isConfidential() && client.apiId().equals(api.id())) {
            throw OAuthError.unauthorizedClient("Public clients cannot use the client credentials grant");
        }
    }

    /** Counts the failure (a failure past the limit is refused without being counted again) and answers it. */
    private OAuthError refused(ApiView api, boolean basic, String countedClientId, String address) {
        limiter.checkAllowed(countedClientId, address);
        limiter.recordFailure(countedClientId, address);
        return OAuthError.invalidClient(basic, api.id());
    }

    /**
     * The current secret, then (during a rotation's grace period) the previous one. An unknown client
     * id is compared with a hash no secret has, so that it costs what a wrong secret costs.
     */
    private static boolean secretMatches(RegisteredClient client, String secret) {
        String given = secret == null ? "" : secret;
        if (ClientSecrets.matches(client == null ? null : client.clientSecretHash(), given)) {
            return true;
        }
        String previous = client == null ? null : client.previousSecretHashAt(Instant.now());
        return previous != null && ClientSecrets.matches(previous, given);
    }
}
