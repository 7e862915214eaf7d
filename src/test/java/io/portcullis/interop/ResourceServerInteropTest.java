package io.portcullis.interop;

import io.portcullis.registry.ApiDefinition;
import io.portcullis.registry.ApiService;
import io.portcullis.registry.IssuedCredentials;
import io.portcullis.support.Fixtures;
import io.portcullis.support.TokenClient;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtDecoders;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The resource-server libraries our users run, each configured as its own guide says (the lines of
 * docs/resource-servers.md), accept a Portcullis token for their API and refuse a tampered one and one
 * of another API: Spring Security's {@code JwtDecoders.fromIssuerLocation} (what Spring Boot builds from
 * {@code issuer-uri} and {@code audiences}), Quarkus OIDC in an application of its own
 * ({@code interop/quarkus-oidc}), and oauth4webapi's {@code validateJwtAccessToken} ({@code interop/node}).
 * In CI all three must run; on a developer machine without the Quarkus OIDC build or Node's packages
 * those two are skipped with one line saying how to get them.
 */
@QuarkusTest
class ResourceServerInteropTest {
    static final String BASE = "http://localhost:8081";

    @Inject
    Fixtures fixtures;

    @Inject
    ApiService apis;

    /** An API whose tokens say typ at+jwt (the default), and one whose tokens say JWT. */
    String atJwtApi;
    String jwtApi;
    String token;
    String jwtToken;
    String otherApisToken;

    @BeforeEach
    void setUp() {
        fixtures.ensureBasics();
        atJwtApi = fixtures.api("read");
        jwtApi = Fixtures.uniqueId("typjwt");
        apis.create(ApiDefinition.builder(jwtApi).name("Plain JWT").requestPath("/" + jwtApi)
                .upstreamUrl("http://127.0.0.1:9/").authMethods(List.of(Fixtures.AUTH_METHOD))
                .scopes(List.of(new ApiDefinition.Scope("read", "Read"))).routes(List.of()).plans(List.of(Fixtures.PLAN))
                .accessTokenType("JWT").build());
        IssuedCredentials client = fixtures.subscribe(atJwtApi);
        IssuedCredentials jwtClient = fixtures.subscribe(jwtApi);
        token = TokenClient.token(atJwtApi, client.clientId(), client.clientSecret(), "read");
        jwtToken = TokenClient.token(jwtApi, jwtClient.clientId(), jwtClient.clientSecret(), "read");
        String other = fixtures.api("read");
        IssuedCredentials otherClient = fixtures.subscribe(other);
        otherApisToken = TokenClient.token(other, otherClient.clientId(), otherClient.clientSecret(), "read");
    }

    static String issuer(String api) {
        return BASE + "/auth/" + Fixtures.AUTH_METHOD + "/api/" + api;
    }

    /** The signature with one character changed. */
    static String tampered(String jwt) {
        int i = jwt.lastIndexOf('.') + 10;
        return jwt.substring(0, i) + (jwt.charAt(i) == 'A' ? 'B' : 'A') + jwt.substring(i + 1);
    }

    /** The gateway and introspection accept exactly the type the API issues. */
    @Test
    void theGatewayAndIntrospectionExpectTheApisType() {
        // past the guard, to an upstream that is not there: 502, not 401
        io.restassured.RestAssured.given().header("Authorization", "Bearer " + jwtToken).get("/" + jwtApi + "/x").then().statusCode(502);
        io.restassured.RestAssured.given().header("Authorization", "Bearer " + token).get("/" + atJwtApi + "/x").then().statusCode(502);
        IssuedCredentials resourceServer = fixtures.subscribe(jwtApi);
        io.restassured.RestAssured.given().auth().preemptive().basic(resourceServer.clientId(), resourceServer.clientSecret())
                .contentType("application/x-www-form-urlencoded").formParam("token", jwtToken)
                .post("/auth/" + Fixtures.AUTH_METHOD + "/api/" + jwtApi + "/introspect").then().statusCode(200)
                .body("active", org.hamcrest.Matchers.equalTo(true));
        // the admin API says which type an API issues, and refuses one it does not know, naming the field
        io.portcullis.support.AdminClient.admin().get("/admin/v1/apis/" + jwtApi).then().statusCode(200)
                .body("accessTokenType", org.hamcrest.Matchers.equalTo("JWT"));
        io.portcullis.support.AdminClient.admin().get("/admin/v1/apis/" + atJwtApi).then().statusCode(200)
                .body("accessTokenType", org.hamcrest.Matchers.equalTo("at+jwt"));
        String body = io.portcullis.support.AdminClient.admin().get("/admin/v1/apis/" + jwtApi).then().extract().asString()
                .replace("\"accessTokenType\":\"JWT\"", "\"accessTokenType\":\"id+jwt\"");
        io.portcullis.support.AdminClient.admin().body(body).put("/admin/v1/apis/" + jwtApi).then().statusCode(400)
                .body("field", org.hamcrest.Matchers.equalTo("accessTokenType"));
    }

    // ---- Spring Security ----

    /** What Spring Boot builds from spring.security.oauth2.resourceserver.jwt.issuer-uri and .audiences. */
    static JwtDecoder springBootDefault(String issuer, String audience) {
        NimbusJwtDecoder decoder = (NimbusJwtDecoder) JwtDecoders.fromIssuerLocation(issuer);
        OAuth2TokenValidator<Jwt> audiences = new JwtClaimValidator<List<String>>(JwtClaimNames.AUD,
                aud -> aud != null && !Collections.disjoint(aud, List.of(audience)));
        decoder.setJwtValidator(JwtValidators.createDefaultWithValidators(new JwtIssuerValidator(issuer), audiences));
        return decoder;
    }

    /** docs/resource-servers.md's bean for at+jwt tokens: Spring Security's own RFC 9068 validator. */
    static JwtDecoder springAtJwt(String issuer, String audience) {
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withIssuerLocation(issuer).build();
        decoder.setJwtValidator(JwtValidators.createAtJwtValidator().issuer(issuer).audience(audience)
                // every client subscribed to the API may call it: client_id must be there, whichever it is
                .validators(claims -> claims.put("client_id", new JwtClaimValidator<String>("client_id", java.util.Objects::nonNull)))
                .build());
        return decoder;
    }

    @Test
    void springBootAsConfiguredByItsGuideAcceptsTheTokensOfAnApiThatIssuesJwtType() {
        JwtDecoder decoder = springBootDefault(issuer(jwtApi), jwtApi);
        Jwt jwt = decoder.decode(jwtToken);
        assertEquals(List.of(jwtApi), jwt.getAudience());
        assertEquals("read", jwt.getClaimAsString("scope"));
        assertThrows(JwtException.class, () -> decoder.decode(tampered(jwtToken)));
        assertThrows(JwtException.class, () -> decoder.decode(otherApisToken));
        // why the setting exists: Spring Security 7 refuses RFC 9068's at+jwt by default
        JwtException typ = assertThrows(JwtException.class, () -> springBootDefault(issuer(atJwtApi), atJwtApi).decode(token));
        assertTrue(typ.getMessage().contains("typ"), typ.getMessage());
    }

    @Test
    void springSecuritysAtJwtValidatorAcceptsTheDefaultTokens() {
        JwtDecoder decoder = springAtJwt(issuer(atJwtApi), atJwtApi);
        assertEquals(List.of(atJwtApi), decoder.decode(token).getAudience());
        assertThrows(JwtException.class, () -> decoder.decode(tampered(token)));
        assertThrows(JwtException.class, () -> decoder.decode(otherApisToken));
        // a token of the other type is refused, as the gateway would
        assertThrows(JwtException.class, () -> springAtJwt(issuer(jwtApi), jwtApi).decode(jwtToken));
    }

    // ---- Node: oauth4webapi ----

    @Test
    void oauth4webapiValidatesTheTokensWithItsDefaults() throws Exception {
        Path node = Path.of("interop", "node");
        boolean present = Files.isDirectory(node.resolve("node_modules").resolve("oauth4webapi")) && onPath("node");
        requireOrSkip(present, "the oauth4webapi check needs node and its package (cd interop/node && npm ci)");
        ProcessBuilder builder = new ProcessBuilder("node", "validate.mjs", token, tampered(token), otherApisToken).directory(node.toFile());
        builder.environment().put("ISSUER", issuer(atJwtApi));
        builder.environment().put("AUDIENCE", atJwtApi);
        builder.redirectError(ProcessBuilder.Redirect.INHERIT);
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        List<String> lines = out.lines().toList();
        assertEquals(3, lines.size(), out);
        assertTrue(lines.get(0).startsWith("ok "), out);
        assertTrue(lines.get(1).startsWith("refused"), out);
        assertTrue(lines.get(2).startsWith("refused"), out);
    }

    // ---- Quarkus OIDC ----

    @Test
    void quarkusOidcAsConfiguredByItsGuideAcceptsTheTokens() throws Exception {
        Path jar = Path.of("interop", "quarkus-oidc", "target", "quarkus-app", "quarkus-run.jar");
        requireOrSkip(Files.isRegularFile(jar), "the Quarkus OIDC check needs its application built "
                + "(./mvnw -f interop/quarkus-oidc/pom.xml package -DskipTests)");
        int port = freePort();
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m",
                "-jar", jar.toString()).redirectErrorStream(true).redirectOutput(Path.of("target", "interop-quarkus-oidc.log").toFile());
        builder.environment().put("PORTCULLIS_ISSUER", issuer(atJwtApi));
        builder.environment().put("PORTCULLIS_AUDIENCE", atJwtApi);
        builder.environment().put("PORT", Integer.toString(port));
        Process app = builder.start();
        try {
            awaitListening(app, port);
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> ok = call(http, port, token);
            assertEquals(200, ok.statusCode(), ok.body());
            assertTrue(ok.body().startsWith("client_id="), ok.body());
            assertEquals(401, call(http, port, tampered(token)).statusCode());
            assertEquals(401, call(http, port, otherApisToken).statusCode());
            assertEquals(401, call(http, port, null).statusCode());
        } finally {
            app.destroy();
            app.waitFor(10, TimeUnit.SECONDS);
        }
    }

    static HttpResponse<String> call(HttpClient http, int port, String bearer) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/orders")).timeout(Duration.ofSeconds(10));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Until the application accepts connections, or has died, within a bound: a condition, not a sleep. */
    static void awaitListening(Process app, int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!app.isAlive()) {
                fail("the Quarkus OIDC application ended with " + app.exitValue() + "; see target/interop-quarkus-oidc.log");
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                app.waitFor(100, TimeUnit.MILLISECONDS);
            }
        }
        fail("the Quarkus OIDC application did not listen within 60 s; see target/interop-quarkus-oidc.log");
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }

    /** Skipped with one line on a developer machine; in CI (CI=true), a failure. */
    static void requireOrSkip(boolean present, String what) {
        if (!present && "true".equalsIgnoreCase(System.getenv("CI"))) {
            fail("CI must run this check, but " + what);
        }
        if (!present) {
            System.out.println("ResourceServerInteropTest skipped a check: " + what);
        }
        assumeTrue(present, what);
    }
}
