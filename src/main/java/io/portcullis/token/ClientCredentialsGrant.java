package io.portcullis.token;

import io.portcullis.registry.PlanView;
import io.portcullis.registry.TokenQuota;
import java.util.Map;

import io.portcullis.config.PortcullisConfig;
import io.portcullis.registry.ApiView;
import io.portcullis.ops.AuditEvent;
import io.portcullis.ops.AuditLog;
import io.portcullis.ops.Metrics;
import io.portcullis.registry.RegisteredClient;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * The token endpoint's decisions, in the order a careful server takes them: the endpoint exists,
 * the request is well-formed, the client is who it says, it may use this grant at this API, and
 * then which scopes it gets (RFC 6749 section 4.4, docs/contract.md#token-endpoint).
 */
@ApplicationScoped
public class ClientCredentialsGrant {
    public static final String GRANT_TYPE = "client_credentials";

    private final TokenEndpoints endpoints;
    private final ClientAuthenticator authenticator;
    private final AccessTokenIssuer issuer;
    private final PortcullisConfig config;
    private final Metrics metrics;
    private final AuditLog audit;
    private final DPoPReplayStore replay;
    private final io.portcullis.registry.Registry registry;
    private final TokenQuotas quotas;

    public ClientCredentialsGrant(TokenEndpoints endpoints, ClientAuthenticator authenticator, AccessTokenIssuer issuer,
                                  PortcullisConfig config, Metrics metrics, AuditLog audit, DPoPReplayStore replay,
                                  io.portcullis.registry.Registry registry, TokenQuotas quotas) {
        this.registry = registry;
        this.quotas = quotas;
        this.replay = replay;
        this.metrics = metrics;
        this.audit = audit;
        this.endpoints = endpoints;
        this.authenticator = authenticator;
        this.issuer = issuer;
        this.config = config;
    }

    /** What is known of a token request as it is decided, for the audit trail and the metrics. */
    private static final class Attempt {
        String clientId;
        String claimedClientId;
        String scope;
        String granted;
        String address;
        String credential;
        String credentialSubject;
        /** The RateLimit headers of a subscription with a token quota, once it is known. */
        Map<String, String> rateLimit = Map.of();
        boolean quotaExceeded;
    }

    /** A token answer: the body, and the headers a quota adds. */
    public record IssuedToken(TokenResponse body, Map<String, String> headers) {
    }

    /**
     * @param dpop        the DPoP proof headers (RFC 9449), or null
     * @param certificate the client certificate the request came with (RFC 8705), or null
     * @param baseUrl     the base URL the caller used ({@link PortcullisConfig#requestBaseUrl}), which a DPoP proof names
     */
    public IssuedToken token(String authMethodId, String apiId, String contentType, List<String> authorization, byte[] body,
                             List<String> dpop, io.portcullis.mtls.ClientCertificate certificate, String baseUrl,
                             String remoteAddress, String requestId) {
        long start = System.nanoTime();
        Attempt attempt = new Attempt();
        attempt.address = remoteAddress;
        try {
            TokenResponse response = endpoints.call(() -> decide(authMethodId, apiId, contentType, authorization, body, dpop, certificate,
                    baseUrl, attempt));
            if (attempt.quotaExceeded) {
                metrics.tokenQuotaExceeded(apiId, io.portcullis.registry.TokenQuota.REPORT);
            }
            metrics.tokenGranted(apiId, authMethodId, System.nanoTime() - start);
            audit.record(AuditEvent.token(apiId, authMethodId, true).actor(attempt.clientId).scopesRequested(attempt.scope)
                    .scopesGranted(attempt.granted).credential(attempt.credential).credentialSubject(attempt.credentialSubject)
                    .quotaExceeded(attempt.quotaExceeded ? Boolean.TRUE : null)
                    .remoteAddress(remoteAddress).requestId(requestId).build());
            return new IssuedToken(response, attempt.rateLimit);
        } catch (OAuthError e) {
            metrics.tokenRefused(apiId, authMethodId, e.error, System.nanoTime() - start);
            if (e.status == 429 && "rate_limited".equals(e.error)) {
                metrics.tokenQuotaExceeded(apiId, io.portcullis.registry.TokenQuota.ENFORCE);
            }
            String actor = attempt.clientId != null ? attempt.clientId : knownClientId(attempt.claimedClientId);
            audit.record(AuditEvent.token(apiId, authMethodId, false).actor(actor).error(e.error).scopesRequested(attempt.scope)
                    .credential(attempt.credential).credentialSubject(attempt.credentialSubject)
                    .remoteAddress(remoteAddress).requestId(requestId).build());
            throw e.withHeaders(attempt.rateLimit);
        }
    }

    private TokenResponse decide(String authMethodId, String apiId, String contentType, List<String> authorization, byte[] body,
                                 List<String> dpop, io.portcullis.mtls.ClientCertificate certificate, String baseUrl,
                                 Attempt attempt) {
        TokenEndpoints.Endpoint endpoint = endpoints.resolve(authMethodId, apiId);
        ApiView api = endpoint.api();
        TokenRequest request = TokenEndpoints.parse(endpoint, contentType, authorization, body);
        attempt.claimedClientId = request.clientId();
        attempt.scope = request.scope();
        // RFC 6749 section 4.4.2
        if (request.grantType() == null) {
            throw OAuthError.invalidRequest("grant_type is missing");
        }
        if (!GRANT_TYPE.equals(request.grantType())) {
            throw OAuthError.unsupportedGrantType();
        }

        // RFC 8705 section 3: an API whose tokens are all bound to a certificate takes no request without one
        if (api.mtlsRequired() && certificate == null) {
            throw OAuthError.unsupportedClientAuthentication("API '" + api.id() + "' requires mutual TLS: present a client certificate");
        }
        ClientAuthentication authentication = authenticator.authenticate(api, request, certificate, endpoint.issuer(), attempt.address);
        RegisteredClient client = authentication.client();
        attempt.clientId = client.clientId();
        attempt.credential = authentication.credential();
        attempt.credentialSubject = authentication.credentialSubject();

        // RFC 6749 section 5.2 unauthorized_client: authenticated, but not allowed this grant here
        endpoint.requireAccepted();
        if (!api.clientCredentialsEnabled()) {
            throw OAuthError.unauthorizedClient("API '" + api.id() + "' does not allow the client credentials grant");
        }
        endpoint.requireApproved(client);
        // RFC 8707 section 2: the only resource this endpoint serves is this API
        if (request.resource() != null && !request.resource().equals(config.resourceIdentifier(api.requestPath()))) {
            throw OAuthError.invalidTarget("The resource is not API '" + api.id() + "'");
        }

        // a subscription with a quota hears where it stands in every answer from here on
        TokenQuota quota = registry.plan(client.planId()).map(PlanView::tokenQuota).orElse(null);
        if (quota != null) {
            attempt.rateLimit = quotas.peek(client.subscriptionId().toString(), quota, System.currentTimeMillis()).headers();
        }

        Set<String> requested = ScopePolicy.parse(request.scope());
        Set<String> granted = ScopePolicy.grant(api, client, requested);
        String jkt = proofOfPossession(endpoint, dpop, baseUrl + endpoint.issuer().substring(config.baseUrl().length()) + "/token");
        if (quota != null) {
            TokenQuotas.Standing standing = quotas.count(client.subscriptionId().toString(), quota, System.currentTimeMillis());
            attempt.rateLimit = standing.headers();
            if (standing.exceeded()) {
                if (quota.enforced()) {
                    throw OAuthError.tokenQuotaExceeded(attempt.rateLimit, standing.secondsLeft());
                }
                attempt.quotaExceeded = true;
            }
        }
        int lifetime = TokenPolicy.lifetimeSeconds(api, client);
        // RFC 8705 section 3.1: a token issued over a connection with a certificate is bound to it, whatever authenticated the client
        String x5t = certificate == null ? null : certificate.thumbprint();
        String token = issuer.issue(endpoint.authMethod().id(), api, client, granted, Instant.now(), jkt, x5t);
        String scope = requested.isEmpty() && granted.isEmpty() ? null : String.join(" ", granted);
        attempt.granted = String.join(" ", granted);
        return new TokenResponse(token, jkt == null ? "bearer" : "DPoP", lifetime, scope);
    }

    /** A client id worth recording: one the registry knows. A client that swapped id and secret must not put its secret in the audit trail. */
    private String knownClientId(String claimed) {
        if (claimed == null || !ClientAuthenticator.CLIENT_ID.matcher(claimed).matches()) {
            return null;
        }
        try {
            return registry.client(claimed).isPresent() ? claimed : null;
        } catch (RuntimeException e) {
            return null; // the database is away: the refusal is recorded without the id
        }
    }

    /**
     * RFC 9449 section 5: a valid proof binds the token to its key; an API that requires DPoP takes no
     * token without one.
     *
     * @return the key's thumbprint, or null for a bearer token
     */
    private String proofOfPossession(TokenEndpoints.Endpoint endpoint, List<String> dpop, String url) {
        if (dpop == null || dpop.isEmpty()) {
            if (endpoint.api().dpopRequired()) {
                throw OAuthError.invalidDpopProof("API '" + endpoint.api().id() + "' requires DPoP: send a DPoP proof");
            }
            return null;
        }
        try {
            return DPoPProofs.check(dpop, "POST", url, null, Instant.now().getEpochSecond(), replay).jkt();
        } catch (DPoPProofs.InvalidProofException e) {
            throw OAuthError.invalidDpopProof(e.getMessage());
        }
    }
}
