package io.portcullis.sample;

import io.portcullis.config.PortcullisConfig;
import io.quarkus.arc.profile.IfBuildProfile;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jose4j.jwk.EcJwkGenerator;
import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.keys.EllipticCurves;
import org.jose4j.lang.JoseException;

import java.time.Instant;
import java.util.UUID;

/**
 * The demo's platform: a stand-in for a Kubernetes cluster's service-account issuer, so that the
 * federated workload identity flow (docs/contract.md#federated-workload-identity) can be tried with dev
 * mode alone. It publishes OIDC discovery and a JWKS under {@value #PATH}, and {@code GET
 * {@value #PATH}/token} answers a token shaped like a projected service-account token of the demo
 * workload ({@code system:serviceaccount:demo:billing}), for the audience Portcullis's public URL. Its
 * key lives in memory only. Dev mode and tests only: it would mint identities for anyone who asks.
 */
@ApplicationScoped
@IfBuildProfile(anyOf = {"dev", "test"})
public class DemoWorkloadIssuer {
    public static final String PATH = "/sample/issuer";
    public static final String NAMESPACE = "demo";
    public static final String SERVICE_ACCOUNT = "billing";
    public static final String SUBJECT = "system:serviceaccount:" + NAMESPACE + ":" + SERVICE_ACCOUNT;

    private final PortcullisConfig config;
    private final EllipticCurveJsonWebKey key;

    public DemoWorkloadIssuer(PortcullisConfig config) throws JoseException {
        this.config = config;
        this.key = EcJwkGenerator.generateJwk(EllipticCurves.P256);
        key.setKeyId(key.calculateBase64urlEncodedThumbprint("SHA-256"));
        key.setAlgorithm(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
        key.setUse("sig");
    }

    /** The demo issuer's {@code iss}: this same server, on whatever port it runs. */
    public String issuer() {
        return config.demo().localUrl() + PATH;
    }

    void register(@Observes Router router) {
        router.get(PATH + "/.well-known/openid-configuration").handler(ctx -> json(ctx, new JsonObject()
                .put("issuer", issuer())
                .put("jwks_uri", issuer() + "/jwks")
                .put("response_types_supported", new JsonArray().add("id_token"))
                .put("subject_types_supported", new JsonArray().add("public"))
                .put("id_token_signing_alg_values_supported", new JsonArray().add("ES256"))));
        router.get(PATH + "/jwks").handler(ctx -> json(ctx,
                new JsonObject().put("keys", new JsonArray().add(new JsonObject(key.toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY))))));
        router.get(PATH + "/token").handler(ctx -> {
            ctx.response().putHeader("Content-Type", "text/plain").putHeader("Cache-Control", "no-store").end(token());
        });
    }

    /** A projected service-account token of the demo workload, valid for an hour (expirationSeconds: 3600). */
    public String token() {
        long now = Instant.now().getEpochSecond();
        JsonObject claims = new JsonObject()
                .put("aud", new JsonArray().add(config.baseUrl()))
                .put("exp", now + 3600)
                .put("iat", now)
                .put("nbf", now)
                .put("iss", issuer())
                .put("jti", UUID.randomUUID().toString())
                .put("kubernetes.io", new JsonObject()
                        .put("namespace", NAMESPACE)
                        .put("pod", new JsonObject().put("name", SERVICE_ACCOUNT + "-7d4b9c-xk2lp").put("uid", UUID.randomUUID().toString()))
                        .put("serviceaccount", new JsonObject().put("name", SERVICE_ACCOUNT).put("uid", UUID.nameUUIDFromBytes(SUBJECT.getBytes()).toString())))
                .put("sub", SUBJECT);
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.encode());
        jws.setKey(key.getPrivateKey());
        jws.setKeyIdHeaderValue(key.getKeyId());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void json(RoutingContext ctx, JsonObject body) {
        ctx.response().putHeader("Content-Type", "application/json").end(body.encode());
    }
}
