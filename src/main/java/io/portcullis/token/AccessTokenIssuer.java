package io.portcullis.token;

import io.portcullis.config.PortcullisConfig;
import io.portcullis.keys.SigningKeys;
import io.portcullis.registry.ApiView;
import io.portcullis.registry.RegisteredClient;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.lang.JoseException;
import jakarta.enterprise.context.ApplicationScoped;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Builds and signs access tokens in the JWT profile of RFC 9068 (docs/contract.md#access-tokens). */
@ApplicationScoped
public class AccessTokenIssuer {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
    private static final ObjectMapper JSON = new ObjectMapper();

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

    /**
     * The token itself, from its parts; public for the JMH benchmarks. @param jkt and {@code x5t} as in
     * {@link #issue}, or null
     *
     * <p>Built with jose4j (what SmallRye JWT's builder signs with) and Jackson, without the builder:
     * it reads MicroProfile Config for its defaults on every token, which a JFR profile put at ~7% of a
     * token request's CPU, more than an ES256 signature.
     */
    public static String sign(String issuer, ApiView api, RegisteredClient client, Set<String> scopes, Instant now, String authMethodId,
                              SigningKeys.ActiveKey key, String jkt, String x5t) {
        long iat = now.getEpochSecond();
        // an admin's claims first: the registry keeps them off the names set below (docs/contract.md#token-policy)
        Map<String, Object> claims = new LinkedHashMap<>(TokenPolicy.claims(api, client));
        claims.put("iss", issuer);
        claims.put("sub", client.clientId());
        claims.put("aud", api.id());
        claims.put("client_id", client.clientId());
        claims.put("iat", iat);
        claims.put("exp", iat + TokenPolicy.lifetimeSeconds(api, client));
        claims.put("jti", newJti());
        claims.put("application", client.applicationId());
        claims.put("subscription", client.subscriptionId().toString());
        claims.put("plan", client.planId());
        claims.put("auth_method", authMethodId);
        if (!scopes.isEmpty()) {
            claims.put("scope", String.join(" ", scopes));
        }
        if (jkt != null || x5t != null) {
            // both bindings when a DPoP proof came over a connection with a certificate: each is checked
            Map<String, Object> cnf = new LinkedHashMap<>();
            if (jkt != null) {
                cnf.put("jkt", jkt);
            }
            if (x5t != null) {
                cnf.put("x5t#S256", x5t);
            }
            claims.put("cnf", cnf);
        }
        JsonWebSignature jws = new JsonWebSignature();
        jws.setAlgorithmHeaderValue(key.alg());
        jws.setKeyIdHeaderValue(key.kid());
        jws.setHeader("typ", api.accessTokenType().value);
        try {
            jws.setPayload(JSON.writeValueAsString(claims));
            jws.setKey(key.privateKey());
            return jws.getCompactSerialization();
        } catch (com.fasterxml.jackson.core.JsonProcessingException | JoseException e) {
            throw new IllegalStateException("The access token could not be signed", e);
        }
    }

    /** 144 random bits, base64url. */
    private static String newJti() {
        byte[] bytes = new byte[18];
        RANDOM.nextBytes(bytes);
        return B64URL.encodeToString(bytes);
    }
}
