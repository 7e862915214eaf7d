package io.portcullis.mtls;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.portcullis.registry.ApiDefinition;
import io.portcullis.registry.ApiService;
import io.portcullis.registry.IssuedCredentials;
import io.portcullis.support.Fixtures;
import io.portcullis.support.TestCertificates;
import io.portcullis.support.TestCertificates.Issued;
import io.portcullis.support.TestUpstream;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.bouncycastle.asn1.x509.GeneralName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.portcullis.support.AdminClient.admin;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Mutual TLS (RFC 8705, docs/contract.md#mutual-tls) end to end over real TLS on loopback: the test
 * profile's HTTPS listener (port 8444, the development CA's server certificate), client certificates
 * made here with Bouncy Castle, tls_client_auth against the development CA and
 * self_signed_tls_client_auth against registered keys, certificate-bound tokens at the gateway and at
 * introspection, and Client-Cert (RFC 9440) from the trusted proxy 127.0.0.2 and from anyone else.
 */
@QuarkusTest
class MutualTlsTest {
    static final String TLS = "https://localhost:8444";
    static final String PLAIN = "http://localhost:8081";
    static final ObjectMapper JSON = new ObjectMapper();

    static TestUpstream upstream;
    static Issued devCa;

    @Inject
    Fixtures fixtures;

    @Inject
    ApiService apis;

    @Inject
    io.portcullis.ops.AuditLog auditLog;

    String api;
    IssuedCredentials client;
    String dn;

    @BeforeAll
    static void start() throws Exception {
        upstream = new TestUpstream();
        devCa = TestCertificates.devCa();
    }

    @AfterAll
    static void stop() {
        upstream.close();
    }

    @BeforeEach
    void setUp() {
        api = createApi(false);
        client = fixtures.subscribe(api);
        dn = "CN=billing-" + api + ",OU=Payments,O=Example";
    }

    String createApi(boolean mtlsRequired) {
        fixtures.ensureBasics();
        String id = Fixtures.uniqueId("mtls");
        apis.create(ApiDefinition.builder(id).name("mTLS").requestPath("/" + id).upstreamUrl(upstream.url("/"))
                .authMethods(List.of(Fixtures.AUTH_METHOD)).scopeIds("read").routes(List.of()).plans(List.of(Fixtures.PLAN))
                .mtlsRequired(mtlsRequired).build());
        return id;
    }

    // ---- helpers ----

    record Answer(int status, Map<String, Object> body, java.net.http.HttpHeaders headers) {
    }

    static HttpClient https(Issued certificate) throws Exception {
        SSLContext context = TestCertificates.clientContext(certificate, devCa.certificate());
        return HttpClient.newBuilder().sslContext(context).version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    static Answer send(HttpClient http, HttpRequest request) throws Exception {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        @SuppressWarnings("unchecked")
        Map<String, Object> body = response.body().isEmpty() ? Map.of() : JSON.readValue(response.body(), Map.class);
        return new Answer(response.statusCode(), body, response.headers());
    }

    static String form(Map<String, String> fields) {
        StringBuilder out = new StringBuilder();
        fields.forEach((k, v) -> out.append(out.isEmpty() ? "" : "&").append(k).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return out.toString();
    }

    Answer token(Issued certificate, Map<String, String> fields, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(TLS + Fixtures.tokenPath(api)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(fields)));
        headers.forEach(request::header);
        return send(https(certificate), request.build());
    }

    Answer token(Issued certificate) throws Exception {
        return token(certificate, Map.of("grant_type", "client_credentials", "client_id", client.clientId(), "scope", "read"), Map.of());
    }

    Answer gateway(HttpClient http, String base, String token, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/" + api + "/hello")).header("Authorization", "Bearer " + token);
        headers.forEach(request::header);
        return send(http, request.GET().build());
    }

    void register(Map<String, Object> body, int status) {
        admin().contentType("application/json").body(body).put("/admin/v1/subscriptions/" + client.subscriptionId() + "/tls-client-auth")
                .then().statusCode(status);
    }

    void registerDn() {
        register(Map.of("method", "tls_client_auth", "subjectDn", dn), 200);
    }

    /** The certificate's JWK set as docs/mtls.md makes it, with tools/CertificateJwks.java. */
    void registerKeys(Issued certificate) throws Exception {
        java.nio.file.Path pem = java.nio.file.Files.createTempFile("client-", ".pem");
        java.nio.file.Files.writeString(pem, certificate.pem());
        Process tool = new ProcessBuilder(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "tools/CertificateJwks.java", pem.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String jwks = new String(tool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(tool.waitFor(60, java.util.concurrent.TimeUnit.SECONDS) && tool.exitValue() == 0, jwks);
        admin().contentType("application/json").body("{\"jwks\": " + jwks + "}")
                .put("/admin/v1/subscriptions/" + client.subscriptionId() + "/keys").then().statusCode(200);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> claims(String token) throws Exception {
        return JSON.readValue(Base64.getUrlDecoder().decode(token.split("\\.")[1]), Map.class);
    }

    static void assertInvalidClient(Answer answer) {
        assertEquals(401, answer.status(), () -> "expected 401, got " + answer);
        assertEquals("invalid_client", answer.body().get("error"));
    }

    static void assertInvalidToken(Answer answer) {
        assertEquals(401, answer.status(), () -> "expected 401, got " + answer);
        assertTrue(answer.headers().firstValue("WWW-Authenticate").orElse("").contains("error=\"invalid_token\""), answer::toString);
    }

    /** A raw HTTP/1.1 GET from a chosen local address, so that one test is both a trusted proxy and a stranger. */
    static int rawGet(String from, String path, Map<String, String> headers, StringBuilder body) throws Exception {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(from, 0));
            socket.connect(new InetSocketAddress("127.0.0.1", 8081), 5000);
            socket.setSoTimeout(10_000);
            StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: localhost:8081\r\nConnection: close\r\n");
            headers.forEach((k, v) -> request.append(k).append(": ").append(v).append("\r\n"));
            request.append("\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
            String status = in.readLine();
            String line;
            while ((line = in.readLine()) != null) {
                body.append(line).append('\n');
            }
            return Integer.parseInt(status.split(" ")[1]);
        }
    }

    /** The same over TLS, presenting no client certificate. */
    static int rawTlsGet(String from, String path, Map<String, String> headers) throws Exception {
        javax.net.ssl.SSLSocketFactory factory = TestCertificates.clientContext(null, devCa.certificate()).getSocketFactory();
        try (Socket plain = new Socket()) {
            plain.bind(new InetSocketAddress(from, 0));
            plain.connect(new InetSocketAddress("127.0.0.1", 8444), 5000);
            try (javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) factory.createSocket(plain, "localhost", 8444, true)) {
                socket.setSoTimeout(10_000);
                StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: localhost:8444\r\nConnection: close\r\n");
                headers.forEach((k, v) -> request.append(k).append(": ").append(v).append("\r\n"));
                socket.getOutputStream().write(request.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
                socket.getOutputStream().flush();
                String status = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1)).readLine();
                return Integer.parseInt(status.split(" ")[1]);
            }
        }
    }

    // ---- client authentication ----

    @Test
    void tlsClientAuthIssuesATokenBoundToTheCertificate() throws Exception {
        // the registered DN written with other spacing and letter case (RFC 4517 distinguishedNameMatch)
        register(Map.of("method", "tls_client_auth", "subjectDn", "cn=Billing-" + api + " ,  ou=PAYMENTS, o=example"), 200);
        Issued certificate = TestCertificates.client(devCa, dn);
        Answer answer = token(certificate);
        assertEquals(200, answer.status(), answer::toString);
        assertEquals("bearer", answer.body().get("token_type"));
        Map<String, Object> claims = claims((String) answer.body().get("access_token"));
        assertEquals(Map.of("x5t#S256", ClientCertificate.thumbprint(certificate.certificate())), claims.get("cnf"));
        assertEquals(client.clientId(), claims.get("client_id"));

        // the audit record names the method and the certificate's subject
        auditLog.flush();
        admin().queryParam("kind", "token").queryParam("actor", client.clientId()).get("/admin/v1/audit").then().statusCode(200)
                .body("items[0].credential", equalTo("tls_client_auth"))
                .body("items[0].credentialSubject", equalTo(certificate.certificate().getSubjectX500Principal().getName()));
    }

    @Test
    void tlsClientAuthMatchesEachKindOfName() throws Exception {
        record Case(Map<String, Object> registration, GeneralName san) {
        }
        List<Case> cases = List.of(
                new Case(Map.of("method", "tls_client_auth", "sanDns", "Billing." + api + ".example"),
                        new GeneralName(GeneralName.dNSName, "billing." + api + ".example")),
                new Case(Map.of("method", "tls_client_auth", "sanUri", "spiffe://example.org/ns/payments/" + api),
                        new GeneralName(GeneralName.uniformResourceIdentifier, "spiffe://example.org/ns/payments/" + api)),
                new Case(Map.of("method", "tls_client_auth", "sanIp", "2001:db8::1"),
                        new GeneralName(GeneralName.iPAddress, "2001:0db8:0:0:0:0:0:1")),
                new Case(Map.of("method", "tls_client_auth", "sanEmail", "billing@Example.COM"),
                        new GeneralName(GeneralName.rfc822Name, "billing@example.com")));
        for (Case c : cases) {
            register(c.registration(), 200);
            Answer answer = token(TestCertificates.client(devCa, "CN=anything", c.san()));
            assertEquals(200, answer.status(), () -> c + " " + answer);
        }
    }

    @Test
    void selfSignedTlsClientAuthIssuesATokenForARegisteredKey() throws Exception {
        Issued certificate = TestCertificates.selfSigned("CN=self-" + api);
        registerKeys(certificate);
        register(Map.of("method", "self_signed_tls_client_auth"), 200);
        Answer answer = token(certificate);
        assertEquals(200, answer.status(), answer::toString);
        assertEquals(ClientCertificate.thumbprint(certificate.certificate()),
                ((Map<?, ?>) claims((String) answer.body().get("access_token")).get("cnf")).get("x5t#S256"));
        // another self-signed certificate, whose key was never registered
        assertInvalidClient(token(TestCertificates.selfSigned("CN=self-" + api)));
    }

    @Test
    void everyCertificateThatDoesNotMatchIsInvalidClient() throws Exception {
        registerDn();
        Issued otherCa = TestCertificates.ca("Another CA");
        Instant now = Instant.now();
        // no certificate at all, over TLS and over plain HTTP
        assertInvalidClient(token(null));
        given().contentType("application/x-www-form-urlencoded").formParam("grant_type", "client_credentials")
                .formParam("client_id", client.clientId()).post(Fixtures.tokenPath(api)).then().statusCode(401)
                .body("error", equalTo("invalid_client"));
        // expired
        assertInvalidClient(token(TestCertificates.client(devCa, dn, now.minus(Duration.ofDays(2)), now.minus(Duration.ofDays(1)))));
        // the right name from another CA
        assertInvalidClient(token(TestCertificates.client(otherCa, dn)));
        // a DN that differs in one RDN, and the same RDNs in another order
        assertInvalidClient(token(TestCertificates.client(devCa, "CN=billing-" + api + ",OU=Payments,O=Other")));
        assertInvalidClient(token(TestCertificates.client(devCa, "O=Example,OU=Payments,CN=billing-" + api)));
        // a self-signed certificate with the right DN
        assertInvalidClient(token(TestCertificates.selfSigned(dn)));
        // a SAN of another kind than registered: the same string as a URI, not a DNS name
        register(Map.of("method", "tls_client_auth", "sanDns", "billing.example"), 200);
        assertInvalidClient(token(TestCertificates.client(devCa, "CN=x", new GeneralName(GeneralName.uniformResourceIdentifier, "billing.example"))));
        assertInvalidClient(token(TestCertificates.client(devCa, "CN=billing.example")));
        // the right certificate for another subscription's client id
        IssuedCredentials other = fixtures.subscribe(api);
        register(Map.of("method", "tls_client_auth", "subjectDn", dn), 200);
        assertInvalidClient(token(TestCertificates.client(devCa, dn),
                Map.of("grant_type", "client_credentials", "client_id", other.clientId()), Map.of()));
        // and the right one works
        assertEquals(200, token(TestCertificates.client(devCa, dn)).status());
    }

    @Test
    void aSecretStillWorksAndOverTlsItsTokenIsBoundToo() throws Exception {
        registerDn();
        Issued certificate = TestCertificates.client(devCa, "CN=unregistered");
        Answer answer = token(certificate, Map.of("grant_type", "client_credentials", "client_id", client.clientId(),
                "client_secret", client.clientSecret()), Map.of());
        assertEquals(200, answer.status(), answer::toString);
        assertEquals(Map.of("x5t#S256", ClientCertificate.thumbprint(certificate.certificate())),
                claims((String) answer.body().get("access_token")).get("cnf"));
        // without a certificate: a bearer token, no cnf
        String plain = given().contentType("application/x-www-form-urlencoded").formParam("grant_type", "client_credentials")
                .formParam("client_id", client.clientId()).formParam("client_secret", client.clientSecret())
                .post(Fixtures.tokenPath(api)).then().statusCode(200).extract().path("access_token");
        assertNull(claims(plain).get("cnf"));
    }

    // ---- certificate-bound tokens ----

    @Test
    void aBoundTokenNeedsItsCertificateAtTheGateway() throws Exception {
        registerDn();
        Issued certificate = TestCertificates.client(devCa, dn);
        String token = (String) token(certificate).body().get("access_token");

        Answer accepted = gateway(https(certificate), TLS, token, Map.of());
        assertEquals(200, accepted.status(), accepted::toString);
        assertEquals("/hello", ((String) accepted.body().get("uri")).replaceFirst("\\?.*", ""));
        // over HTTP/2 (ALPN) as curl speaks it: a GET reaches the upstream as a GET without a body
        HttpClient h2 = HttpClient.newBuilder().sslContext(TestCertificates.clientContext(certificate, devCa.certificate()))
                .version(HttpClient.Version.HTTP_2).build();
        HttpResponse<String> overH2 = h2.send(HttpRequest.newBuilder(URI.create(TLS + "/" + api + "/hello"))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(HttpClient.Version.HTTP_2, overH2.version());
        assertEquals(200, overH2.statusCode(), overH2.body());
        assertFalse(overH2.body().toLowerCase().contains("transfer-encoding"), overH2.body());
        // and a POST's body, which HTTP/2 carries in DATA frames, reaches it whole over HTTP/1.1
        HttpResponse<String> postH2 = h2.send(HttpRequest.newBuilder(URI.create(TLS + "/" + api + "/hello"))
                .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofString("x".repeat(100_000))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(HttpClient.Version.HTTP_2, postH2.version());
        assertEquals(200, postH2.statusCode(), postH2.body());
        assertTrue(postH2.body().contains("\"bodyBytes\":100000"), postH2.body());

        // over TLS without a certificate, with another certificate, and over plain HTTP
        assertInvalidToken(gateway(https(null), TLS, token, Map.of()));
        assertInvalidToken(gateway(https(TestCertificates.client(devCa, dn)), TLS, token, Map.of()));
        assertInvalidToken(gateway(HttpClient.newHttpClient(), PLAIN, token, Map.of()));

        // the certificate in Client-Cert: counted from the trusted proxy (127.0.0.2) only
        String header = TestCertificates.clientCertHeader(certificate.certificate());
        StringBuilder body = new StringBuilder();
        assertEquals(401, rawGet("127.0.0.1", "/" + api + "/hello", Map.of("Authorization", "Bearer " + token, "Client-Cert", header), body));
        body.setLength(0);
        assertEquals(200, rawGet("127.0.0.2", "/" + api + "/hello", Map.of("Authorization", "Bearer " + token, "Client-Cert", header), body),
                body::toString);
        // and it never reaches the upstream, nor does Client-Cert-Chain
        String forwarded = body.toString().toLowerCase();
        assertTrue(forwarded.contains("x-authenticated-client-id"), forwarded);
        assertFalse(forwarded.contains("client-cert"), forwarded);
        // over TLS, even from the trusted proxy's address, the header counts for nothing: only the connection's certificate
        assertEquals(401, rawTlsGet("127.0.0.2", "/" + api + "/hello", Map.of("Authorization", "Bearer " + token, "Client-Cert", header)));
        // another certificate in the header from the trusted proxy
        body.setLength(0);
        assertEquals(401, rawGet("127.0.0.2", "/" + api + "/hello", Map.of("Authorization", "Bearer " + token,
                "Client-Cert", TestCertificates.clientCertHeader(TestCertificates.client(devCa, dn).certificate())), body));
    }

    @Test
    void aCallersClientCertHeaderNeverReachesTheUpstream() throws Exception {
        String token = given().contentType("application/x-www-form-urlencoded").formParam("grant_type", "client_credentials")
                .formParam("client_id", client.clientId()).formParam("client_secret", client.clientSecret())
                .post(Fixtures.tokenPath(api)).then().statusCode(200).extract().path("access_token");
        String header = TestCertificates.clientCertHeader(TestCertificates.client(devCa, dn).certificate());
        for (String from : List.of("127.0.0.1", "127.0.0.2")) {
            StringBuilder body = new StringBuilder();
            assertEquals(200, rawGet(from, "/" + api + "/x", Map.of("Authorization", "Bearer " + token, "Client-Cert", header,
                    "Client-Cert-Chain", header), body), body::toString);
            assertFalse(body.toString().toLowerCase().contains("client-cert"), body::toString);
        }
    }

    @Test
    void anApiThatRequiresMutualTlsTakesOnlyCertificatesAndBoundTokens() throws Exception {
        // a bearer token issued before the API required mutual TLS
        String bearer = given().contentType("application/x-www-form-urlencoded").formParam("grant_type", "client_credentials")
                .formParam("client_id", client.clientId()).formParam("client_secret", client.clientSecret())
                .post(Fixtures.tokenPath(api)).then().statusCode(200).extract().path("access_token");
        ApiDefinition definition = apis.find(api);
        apis.replace(api, definition.toBuilder().mtlsRequired(true).build());

        given().contentType("application/x-www-form-urlencoded").formParam("grant_type", "client_credentials")
                .formParam("client_id", client.clientId()).formParam("client_secret", client.clientSecret())
                .post(Fixtures.tokenPath(api)).then().statusCode(401).body("error", equalTo("invalid_client"));
        assertInvalidToken(gateway(https(null), TLS, bearer, Map.of()));
        // and introspection calls it inactive, as the gateway refuses it
        given().contentType("application/x-www-form-urlencoded").formParam("client_id", client.clientId())
                .formParam("client_secret", client.clientSecret()).formParam("token", bearer)
                .post("/auth/" + Fixtures.AUTH_METHOD + "/api/" + api + "/introspect").then().statusCode(200)
                .body("active", equalTo(false));

        registerDn();
        Issued certificate = TestCertificates.client(devCa, dn);
        String bound = (String) token(certificate).body().get("access_token");
        assertEquals(200, gateway(https(certificate), TLS, bound, Map.of()).status());
        given().get("/.well-known/oauth-protected-resource/" + api).then().statusCode(200)
                .body("tls_client_certificate_bound_access_tokens", equalTo(true));
    }

    @Test
    void dpopAndMutualTlsTogetherAreBothChecked() throws Exception {
        registerDn();
        Issued certificate = TestCertificates.client(devCa, dn);
        ECKey key = new ECKeyGenerator(Curve.P_256).generate();
        Answer answer = token(certificate, Map.of("grant_type", "client_credentials", "client_id", client.clientId()),
                Map.of("DPoP", proof(key, "POST", TLS + Fixtures.tokenPath(api), null)));
        assertEquals(200, answer.status(), answer::toString);
        assertEquals("DPoP", answer.body().get("token_type"));
        String token = (String) answer.body().get("access_token");
        Map<?, ?> cnf = (Map<?, ?>) claims(token).get("cnf");
        assertEquals(ClientCertificate.thumbprint(certificate.certificate()), cnf.get("x5t#S256"));
        assertEquals(key.computeThumbprint().toString(), cnf.get("jkt"));

        String url = TLS + "/" + api + "/hello";
        HttpClient withCertificate = https(certificate);
        // the certificate and a proof: accepted
        assertEquals(200, send(withCertificate, HttpRequest.newBuilder(URI.create(url)).header("Authorization", "DPoP " + token)
                .header("DPoP", proof(key, "GET", url, token)).GET().build()).status());
        // a proof without the certificate, and the certificate without a proof
        assertInvalidToken(send(https(null), HttpRequest.newBuilder(URI.create(url)).header("Authorization", "DPoP " + token)
                .header("DPoP", proof(key, "GET", url, token)).GET().build()));
        assertEquals(401, send(withCertificate, HttpRequest.newBuilder(URI.create(url)).header("Authorization", "DPoP " + token)
                .GET().build()).status());
    }

    static String proof(ECKey key, String method, String url, String accessToken) throws Exception {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().jwtID(UUID.randomUUID().toString()).claim("htm", method).claim("htu", url)
                .issueTime(new Date());
        if (accessToken != null) {
            claims.claim("ath", Base64.getUrlEncoder().withoutPadding().encodeToString(
                    java.security.MessageDigest.getInstance("SHA-256").digest(accessToken.getBytes(StandardCharsets.US_ASCII))));
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType("dpop+jwt"))
                .jwk(key.toPublicJWK()).build(), claims.build());
        jwt.sign(new ECDSASigner(key));
        return jwt.serialize();
    }

    // ---- introspection, metadata, administration ----

    @Test
    void introspectionReportsTheCertificateBinding() throws Exception {
        registerDn();
        Issued certificate = TestCertificates.client(devCa, dn);
        String token = (String) token(certificate).body().get("access_token");
        // introspected over plain HTTP with the secret: the resource server checks cnf itself (RFC 8705 section 3.2)
        given().contentType("application/x-www-form-urlencoded").formParam("client_id", client.clientId())
                .formParam("client_secret", client.clientSecret()).formParam("token", token)
                .post("/auth/" + Fixtures.AUTH_METHOD + "/api/" + api + "/introspect").then().statusCode(200)
                .body("active", equalTo(true)).body("token_type", equalTo("Bearer"))
                .body("cnf.'x5t#S256'", equalTo(ClientCertificate.thumbprint(certificate.certificate())));
        // and over TLS, the client authenticating with its certificate
        Answer answer = send(https(certificate), HttpRequest.newBuilder(URI.create(TLS + "/auth/" + Fixtures.AUTH_METHOD + "/api/" + api
                + "/introspect")).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(Map.of("client_id", client.clientId(), "token", token)))).build());
        assertEquals(true, answer.body().get("active"), answer::toString);
    }

    @Test
    void metadataAdvertisesMutualTls() {
        String issuer = PLAIN + "/auth/" + Fixtures.AUTH_METHOD + "/api/" + api;
        given().get("/.well-known/oauth-authorization-server/auth/" + Fixtures.AUTH_METHOD + "/api/" + api).then().statusCode(200)
                .body("tls_client_certificate_bound_access_tokens", equalTo(true))
                .body("token_endpoint_auth_methods_supported", hasItems("tls_client_auth", "self_signed_tls_client_auth"))
                .body("mtls_endpoint_aliases.token_endpoint", equalTo(TLS + "/auth/" + Fixtures.AUTH_METHOD + "/api/" + api + "/token"))
                .body("mtls_endpoint_aliases.introspection_endpoint", equalTo(TLS + "/auth/" + Fixtures.AUTH_METHOD + "/api/" + api + "/introspect"))
                .body("issuer", equalTo(issuer));
    }

    @Test
    void theAdminApiRefusesCredentialsThatCouldNeverMatch() {
        Map<String, Object> two = new LinkedHashMap<>(Map.of("method", "tls_client_auth", "subjectDn", "CN=a", "sanDns", "a.example"));
        admin().contentType("application/json").body(two).put("/admin/v1/subscriptions/" + client.subscriptionId() + "/tls-client-auth")
                .then().statusCode(400).body("field", equalTo("sanDns"));
        admin().contentType("application/json").body(Map.of("method", "tls_client_auth"))
                .put("/admin/v1/subscriptions/" + client.subscriptionId() + "/tls-client-auth").then().statusCode(400);
        admin().contentType("application/json").body(Map.of("method", "tls_client_auth", "subjectDn", "not a dn"))
                .put("/admin/v1/subscriptions/" + client.subscriptionId() + "/tls-client-auth").then().statusCode(400)
                .body("field", equalTo("subjectDn"));
        admin().contentType("application/json").body(Map.of("method", "tls_client_auth", "sanIp", "example.com"))
                .put("/admin/v1/subscriptions/" + client.subscriptionId() + "/tls-client-auth").then().statusCode(400)
                .body("field", equalTo("sanIp"));
        admin().contentType("application/json").body(Map.of("method", "self_signed_tls_client_auth"))
                .put("/admin/v1/subscriptions/" + client.subscriptionId() + "/tls-client-auth").then().statusCode(400)
                .body("field", equalTo("method"));
        admin().contentType("application/json").body(Map.of("method", "password"))
                .put("/admin/v1/subscriptions/" + client.subscriptionId() + "/tls-client-auth").then().statusCode(400);
        admin().get("/admin/v1/subscriptions/" + client.subscriptionId()).then().statusCode(200)
                .body("tlsClientAuth", org.hamcrest.Matchers.nullValue());

        registerDn();
        admin().get("/admin/v1/subscriptions/" + client.subscriptionId()).then().statusCode(200)
                .body("tlsClientAuth.method", equalTo("tls_client_auth")).body("tlsClientAuth.subjectDn", equalTo(dn));
        admin().delete("/admin/v1/subscriptions/" + client.subscriptionId() + "/tls-client-auth").then().statusCode(200)
                .body("tlsClientAuth", org.hamcrest.Matchers.nullValue());
    }
}
