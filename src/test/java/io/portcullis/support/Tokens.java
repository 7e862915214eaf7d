package io.portcullis.support;

import io.portcullis.keys.SigningKeys;
import io.portcullis.registry.IssuedCredentials;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;

import java.time.Instant;

/** Access tokens made in a test with the server's own key, for cases the token endpoint never produces (expired, odd claims). */
public final class Tokens {
    private Tokens() {
    }

    public static JwtClaimsBuilder claims(String apiId, IssuedCredentials client) {
        long now = Instant.now().getEpochSecond();
        return Jwt.claims().issuer("http://localhost:8081/auth/" + Fixtures.AUTH_METHOD + "/api/" + apiId)
                .subject(client.clientId()).audience(apiId).claim("client_id", client.clientId())
                .claim("subscription", client.subscriptionId().toString()).claim("application", "app")
                .claim("plan", Fixtures.PLAN).claim("auth_method", Fixtures.AUTH_METHOD).claim("jti", Fixtures.uniqueId("jti"))
                .claim("scope", "read write").issuedAt(now).expiresAt(now + 300);
    }

    public static String sign(SigningKeys keys, JwtClaimsBuilder claims) {
        SigningKeys.ActiveKey key = keys.current();
        return claims.jws().keyId(key.kid()).algorithm(key.algorithm()).type("at+jwt").sign(key.privateKey());
    }

    public static String expired(SigningKeys keys, String apiId, IssuedCredentials client) {
        long now = Instant.now().getEpochSecond();
        return sign(keys, claims(apiId, client).issuedAt(now - 7200).expiresAt(now - 3600));
    }
}
