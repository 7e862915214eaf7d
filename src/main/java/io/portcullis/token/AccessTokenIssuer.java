package io.portcullis.token;

import io.portcullis.config.PortcullisConfig;
import io.portcullis.keys.SigningKeys;
import io.portcullis.registry.ApiView;
import io.portcullis.registry.RegisteredClient;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import jakarta.enterprise.context.ApplicationScoped;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;

/** Builds and signs access tokens in the JWT profile of RFC 9068 (docs/contract.md#access-tokens). */
@ApplicationScoped
public class AccessTokenIssuer {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    private final PortcullisConfig config;
    private final SigningKeys keys;

    public AccessTokenIssuer(PortcullisConfig config, SigningKeys keys) {
        this.config = config;
        this.keys = keys;
    }

    /** The issuer of tokens from one auth method's token endpoint for one API. */
    public String issuer(String authMethodId, String apiId) {
        return IssuerIdentifier.of(config.baseUrl(), authMethodId, apiId);
    }

    /** RFC 9068 section 2.2: iss, exp, aud, sub, client_id, iat, jti, and scope when any was granted. */
    public String issue(String authMethodId, ApiView api, RegisteredClient client, Set<String> scopes, Instant now) {
        return issue(authMethodId, api, client, scopes, now, null, null);
    }

    /**
     * @param jkt the thumbprint of the client's DPoP key (RFC 9449 section 6.1), or null
     * @param x5t the thumbprint of the client's TLS certificate (RFC 8705 section 3.1), or null
     */
    public String issue(String authMethodId, ApiView api, RegisteredClient client, Set<String> scopes, Instant now, String jkt,
                        String x5t) {
        return sign(issuer(authMethodId, api.id()), api, client, scopes, now, authMethodId, keys.current(), jkt, x5t);
    }

    /** The token itself, from its parts; public for the JMH benchmarks. @param jkt and {@code x5t} as in {@link #issue}, or null */
    public static String sign(String issuer, ApiView api, RegisteredClient client, Set<String> scopes, Instant now, String authMethodId,
                              SigningKeys.ActiveKey key, String jkt, String x5t) {
        long iat = now.getEpochSecond();
        JwtClaimsBuilder claims = Jwt.claims();
        // an admin's claims first: the registry keeps them off the names set below (docs/contract.md#token-policy)
        TokenPolicy.claims(api, client).forEach(claims::claim);
        claims.issuer(issuer)
                .subject(client.clientId())
                .audience(api.id())
                .claim("client_id", client.clientId())
                .issuedAt(iat)
                .expiresAt(iat + TokenPolicy.lifetimeSeconds(api, client))
                .claim("jti", newJti())
                .claim("application", client.applicationId())
                .claim("subscription", client.subscriptionId().toString())
                .claim("plan", client.planId())
                .claim("auth_method", authMethodId);
        if (!scopes.isEmpty()) {
            claims.claim("scope", String.join(" ", scopes));
        }
        if (jkt != null || x5t != null) {
            // both bindings when a DPoP proof came over a connection with a certificate: each is checked
            java.util.Map<String, Object> cnf = new java.util.LinkedHashMap<>();
            if (jkt != null) {
                cnf.put("jkt", jkt);
            }
            if (x5t != null) {
                cnf.put("x5t#S256", x5t);
            }
            claims.claim("cnf", cnf);
        }
        return claims.jws()
                .keyId(key.kid())
                .algorithm(key.algorithm())
                .type(api.accessTokenType().value)
                .sign(key.privateKey());
    }

    /** 144 random bits, base64url. */
    private static String newJti() {
        byte[] bytes = new byte[18];
        RANDOM.nextBytes(bytes);
        return B64URL.encodeToString(bytes);
    }
}
