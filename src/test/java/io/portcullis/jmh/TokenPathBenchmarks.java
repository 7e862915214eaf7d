package io.portcullis.jmh;

import io.portcullis.keys.SigningKeys;
import io.portcullis.registry.ApiDefinition;
import io.portcullis.registry.ApiView;
import io.portcullis.registry.ClientSecrets;
import io.portcullis.registry.ClientType;
import io.portcullis.registry.RegisteredClient;
import io.portcullis.registry.SubscriptionDefinition;
import io.portcullis.registry.ScopeMode;
import io.portcullis.token.AccessTokenIssuer;
import io.portcullis.token.ScopePolicy;
import io.portcullis.token.TokenRequest;
import io.portcullis.token.TokenRequestParser;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.Signature;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The pieces of a token request, one benchmark each, so that a regression shows where it is:
 * request parsing, client authentication, scope policy, token building and signing per algorithm
 * and provider. Run with bench/jmh.sh.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
public class TokenPathBenchmarks {
    @Param({"RS256", "ES256", "PS256", "EdDSA"})
    public String alg;

    /** ACCP: the Amazon Corretto Crypto Provider installed; JDK: the JDK's own providers only. */
    @Param({"ACCP", "JDK"})
    public String provider;

    private ApiView api;
    private RegisteredClient client;
    private String secret;
    private byte[] form;
    private SigningKeys.ActiveKey key;
    private byte[] payload;

    @Setup
    public void setUp() throws Exception {
        if (provider.equals("ACCP")) {
            Class.forName("com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider").getMethod("install").invoke(null);
        } else {
            java.security.Security.removeProvider("AmazonCorrettoCryptoProvider");
        }
        Map<String, String> scopes = new LinkedHashMap<>();
        scopes.put("read", "Read");
        scopes.put("write", "Write");
        api = ApiView.of(ApiDefinition.builder("api-0001").name("API").requestPath("/api-0001").upstreamUrl("http://127.0.0.1:18090/")
                .tokenLifetimeSeconds(3600).clientCredentialsEnabled(true).hideCredentials(false).deprecated(false)
                .upstreamTimeoutSeconds(60).dpopRequired(false).accessTokenType("at+jwt").authMethods("default").routes().plans()
                .scopes(scopes.entrySet().stream().map(e -> new ApiDefinition.Scope(e.getKey(), e.getValue())).toList()).build());
        secret = ClientSecrets.newSecret();
        client = new RegisteredClient("bench-client-00001", UUID.randomUUID(), ClientType.CONFIDENTIAL, true,
                new SubscriptionDefinition("bench-app-00001", "api-0001", "basic", false, ScopeMode.ALL, List.of()),
                new RegisteredClient.Credentials(ClientSecrets.hash(secret), null, null, null, null, null));
        form = ("grant_type=client_credentials&client_id=bench-client-00001&client_secret=" + secret + "&scope=read")
                .getBytes(StandardCharsets.UTF_8);
        KeyPair pair = SigningKeysAccess.generate(alg);
        key = new SigningKeys.ActiveKey("kid-1", alg, SignatureAlgorithm.fromAlgorithm(alg), pair.getPrivate());
        payload = new byte[300];
    }

    @Benchmark
    public TokenRequest parseForm() {
        return TokenRequestParser.parse("application/x-www-form-urlencoded", null, form, "api-0001");
    }

    @Benchmark
    public boolean verifySecret() {
        return ClientSecrets.matches(client.clientSecretHash(), secret);
    }

    @Benchmark
    public Set<String> scopePolicy() {
        return ScopePolicy.grant(api, client, ScopePolicy.parse("read write"));
    }

    @Benchmark
    public String buildAndSignToken() {
        return AccessTokenIssuer.sign("http://127.0.0.1:18082/auth/default/api/api-0001", api, client, Set.of("read"), Instant.now(),
                "default", key, null, null);
    }

    @Benchmark
    public byte[] rawSignature() throws Exception {
        Signature signature = Signature.getInstance(switch (alg) {
            case "RS256" -> "SHA256withRSA";
            case "PS256" -> "RSASSA-PSS";
            case "ES256" -> "SHA256withECDSA";
            default -> "Ed25519";
        });
        if (alg.equals("PS256")) {
            signature.setParameter(new java.security.spec.PSSParameterSpec("SHA-256", "MGF1",
                    java.security.spec.MGF1ParameterSpec.SHA256, 32, 1));
        }
        signature.initSign(key.privateKey());
        signature.update(payload);
        return signature.sign();
    }
}
