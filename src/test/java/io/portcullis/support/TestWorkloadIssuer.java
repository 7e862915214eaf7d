package io.portcullis.support;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A workload identity platform started by a test: a real HTTP (or HTTPS) server on loopback that
 * publishes OIDC discovery and a JWKS, as a Kubernetes API server or a SPIFFE bundle endpoint does, and
 * mints tokens shaped like theirs with its RS256 and ES256 keys. It counts its JWKS fetches, and can
 * require a bearer token of its callers.
 */
public final class TestWorkloadIssuer implements AutoCloseable {
    private final HttpServer server;
    private final String scheme;
    /** The keys it signs with, each published. */
    public volatile RSAKey rsa;
    public volatile ECKey ec;
    private final List<JWK> retired = new CopyOnWriteArrayList<>();
    public final AtomicInteger jwksHits = new AtomicInteger();
    public final AtomicInteger discoveryHits = new AtomicInteger();
    /** The Authorization headers its callers sent, in order. */
    public final List<String> authorizations = new CopyOnWriteArrayList<>();
    /** When set, a caller without {@code Authorization: Bearer <this>} gets 401. */
    public volatile String requiredBearer;
    /** The issuer its discovery document names; its own URL unless changed. */
    public volatile String discoveredIssuer;

    public TestWorkloadIssuer() throws Exception {
        this(null);
    }

    /** @param tls the server's TLS context, for an HTTPS issuer; null for plain HTTP */
    public TestWorkloadIssuer(SSLContext tls) throws Exception {
        rsa = new RSAKeyGenerator(2048).keyID("rsa-" + UUID.randomUUID()).generate();
        ec = new ECKeyGenerator(Curve.P_256).keyID("ec-" + UUID.randomUUID()).generate();
        if (tls == null) {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            scheme = "http";
        } else {
            HttpsServer https = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            https.setHttpsConfigurator(new HttpsConfigurator(tls));
            server = https;
            scheme = "https";
        }
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "test-workload-issuer");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/.well-known/openid-configuration", exchange -> {
            discoveryHits.incrementAndGet();
            answer(exchange, "{\"issuer\":\"" + (discoveredIssuer != null ? discoveredIssuer : url()) + "\",\"jwks_uri\":\"" + url() + "/jwks\"}");
        });
        server.createContext("/jwks", exchange -> {
            jwksHits.incrementAndGet();
            answer(exchange, jwks());
        });
        server.start();
    }

    /** Its own base URL, which is also the issuer when it is found by discovery. */
    public String url() {
        return scheme + "://127.0.0.1:" + server.getAddress().getPort();
    }

    public String jwks() {
        List<JWK> keys = new java.util.ArrayList<>(List.of(rsa.toPublicJWK(), ec.toPublicJWK()));
        retired.forEach(k -> keys.add(k.toPublicJWK()));
        return new JWKSet(keys).toString();
    }

    /** New keys with new kids; the old ones are no longer published unless {@code keepOld}. */
    public void rotate(boolean keepOld) throws Exception {
        if (keepOld) {
            retired.add(rsa);
            retired.add(ec);
        }
        rsa = new RSAKeyGenerator(2048).keyID("rsa-" + UUID.randomUUID()).generate();
        ec = new ECKeyGenerator(Curve.P_256).keyID("ec-" + UUID.randomUUID()).generate();
    }

    private void answer(HttpExchange exchange, String body) throws IOException {
        try (exchange) {
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            authorizations.add(String.valueOf(authorization));
            if (requiredBearer != null && !("Bearer " + requiredBearer).equals(authorization)) {
                exchange.sendResponseHeaders(401, -1);
                return;
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }

    /**
     * Claims shaped as a Kubernetes projected service-account token's: an array {@code aud}, the
     * {@code kubernetes.io} claim, {@code iat}, {@code nbf}, {@code exp} an hour after {@code iat} (expirationSeconds: 3600), a {@code jti}.
     */
    public static JWTClaimsSet.Builder kubernetesClaims(String issuer, String audience, String namespace, String serviceAccount) {
        long now = System.currentTimeMillis();
        return new JWTClaimsSet.Builder()
                .issuer(issuer)
                .subject("system:serviceaccount:" + namespace + ":" + serviceAccount)
                .audience(List.of(audience))
                .issueTime(new Date(now - 1000))
                .notBeforeTime(new Date(now - 1000))
                .expirationTime(new Date(now - 1000 + 3_600_000))
                .jwtID(UUID.randomUUID().toString())
                .claim("kubernetes.io", Map.of(
                        "namespace", namespace,
                        "node", Map.of("name", "node-1", "uid", UUID.randomUUID().toString()),
                        "pod", Map.of("name", serviceAccount + "-7d4b9c-xk2lp", "uid", UUID.randomUUID().toString()),
                        "serviceaccount", Map.of("name", serviceAccount, "uid", UUID.randomUUID().toString())));
    }

    /** Claims shaped as a SPIFFE JWT-SVID's: a {@code spiffe://} subject, an audience, {@code exp} and {@code iat}. */
    public static JWTClaimsSet.Builder spiffeClaims(String issuer, String audience, String spiffeId) {
        long now = System.currentTimeMillis();
        return new JWTClaimsSet.Builder()
                .issuer(issuer)
                .subject(spiffeId)
                .audience(audience)
                .issueTime(new Date(now - 1000))
                .expirationTime(new Date(now + 300_000));
    }

    public String signRs256(JWTClaimsSet claims) throws Exception {
        return sign(claims, rsa, JWSAlgorithm.RS256, null);
    }

    public String signEs256(JWTClaimsSet claims) throws Exception {
        return sign(claims, ec, JWSAlgorithm.ES256, null);
    }

    public static String sign(JWTClaimsSet claims, JWK key, JWSAlgorithm alg, Consumer<JWSHeader.Builder> header) throws Exception {
        JWSHeader.Builder h = new JWSHeader.Builder(alg).keyID(key.getKeyID());
        if (header != null) {
            header.accept(h);
        }
        SignedJWT jwt = new SignedJWT(h.build(), claims);
        jwt.sign(key instanceof RSAKey r ? new RSASSASigner(r) : new ECDSASigner((ECKey) key));
        return jwt.serialize();
    }

    /** A JWT header type, for token-confusion cases. */
    public static Consumer<JWSHeader.Builder> typ(String typ) {
        return h -> h.type(new JOSEObjectType(typ));
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
