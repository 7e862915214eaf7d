package io.portcullis.hardening;

import io.portcullis.registry.ApiDefinition;
import io.portcullis.registry.ApiService;
import io.agroal.api.AgroalDataSource;
import io.portcullis.registry.IssuedCredentials;
import io.portcullis.support.AdminClient;
import io.portcullis.support.DatabaseSnapshot;
import io.portcullis.support.Fixtures;
import io.portcullis.support.TestUpstream;
import io.portcullis.support.TokenClient;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile input at every public endpoint: generated (plain seeded generators: a failure names the seed, and
 * {@code -Dportcullis.hostile.seed=<n>} replays it) and a corpus
 * of nasty cases, sent over raw sockets so that nothing is cleaned up on the way. Every answer must
 * be a 4xx of the contract's kind: never a 5xx, never a stack trace; and the database is unchanged.
 */
@QuarkusTest
class HostileInputTest {
    static TestUpstream upstream;

    @Inject
    Fixtures fixtures;

    @Inject
    ApiService apis;

    @Inject
    AgroalDataSource dataSource;

    String api;
    IssuedCredentials client;
    String token;
    String adminToken;

    @BeforeAll
    static void start() throws Exception {
        upstream = new TestUpstream();
    }

    @AfterAll
    static void stop() {
        upstream.close();
    }

    @BeforeEach
    void setUp() {
        fixtures.ensureBasics();
        api = Fixtures.uniqueId("hostile");
        apis.create(ApiDefinition.builder(api).name("Hostile").requestPath("/" + api).upstreamUrl(upstream.url("/"))
                .authMethods(List.of(Fixtures.AUTH_METHOD)).scopes(List.of(new ApiDefinition.Scope("read", "Read")))
                .routes(List.of(new ApiDefinition.Route("/admin", List.of(), List.of("read")))).plans(List.of(Fixtures.PLAN))
                .build());
        client = fixtures.subscribe(api);
        token = TokenClient.token(api, client.clientId(), client.clientSecret(), null);
        adminToken = AdminClient.token();
    }

    record Answer(int status, String head, String body) {
    }

    /** One request, written as raw bytes. */
    static Answer raw(byte[] request) throws Exception {
        try (Socket socket = new Socket("localhost", 8081)) {
            socket.setSoTimeout(15_000);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request);
                out.flush();
            } catch (java.io.IOException e) {
                // the server may close early (a body over the limit): read what it answered
            }
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            int n;
            try {
                while ((n = in.read(buffer)) >= 0) {
                    answer.write(buffer, 0, n);
                }
            } catch (java.net.SocketException e) {
                // reset after the answer
            }
            String text = answer.toString(StandardCharsets.ISO_8859_1);
            if (text.isEmpty()) {
                return new Answer(0, "", "");
            }
            int status = Integer.parseInt(text.substring(9, 12));
            int split = text.indexOf("\r\n\r\n");
            return new Answer(status, split < 0 ? text : text.substring(0, split), split < 0 ? "" : text.substring(split + 4));
        }
    }

    static byte[] request(String method, String target, Map<String, String> headers, byte[] body) {
        StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\nHost: localhost:8081\r\nConnection: close\r\n");
        headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        if (body != null) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("\r\n");
        byte[] start = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        if (body == null) {
            return start;
        }
        byte[] all = new byte[start.length + body.length];
        System.arraycopy(start, 0, all, 0, start.length);
        System.arraycopy(body, 0, all, start.length, body.length);
        return all;
    }

    static void assertContractAnswer(String what, Answer answer) {
        assertTrue(answer.status() >= 200 && answer.status() < 500, what + " got " + answer.status() + "\n" + answer.head());
        String all = answer.head() + answer.body();
        for (String leak : List.of("Exception", "\tat ", "at io.", "at java.", "at org.", "NullPointer", "<html")) {
            // the portal answers in HTML by design
            boolean html = what.contains("/portal") || what.contains(" portal[");
            assertFalse(all.contains(leak) && !(html && leak.equals("<html")), what + " leaked '" + leak + "': " + answer.body());
        }
    }

    /** The error codes the token, introspection and revocation endpoints may answer (docs/contract.md#token-endpoint). */
    static final java.util.Set<String> TOKEN_ERRORS = java.util.Set.of("invalid_request", "invalid_client", "unsupported_grant_type",
            "unauthorized_client", "invalid_scope", "invalid_target", "invalid_dpop_proof", "rate_limited");

    /** The contract's kind of answer for each place: JSON errors of the token family, bearer refusals, problems, HTML. */
    static void assertShape(String kind, String what, Answer answer) throws Exception {
        assertContractAnswer(what, answer);
        String head = answer.head().toLowerCase(java.util.Locale.ROOT);
        String body = answer.body();
        switch (kind) {
            case "token" -> {
                if (answer.status() == 200) {
                    return; // an introspection or revocation that the fuzz made well-formed
                }
                assertTrue(head.contains("content-type: application/json"), what + "\n" + answer.head());
                assertTrue(head.contains("cache-control: no-store"), what + "\n" + answer.head());
                var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(dechunk(body));
                assertTrue(json.isObject() && TOKEN_ERRORS.contains(json.path("error").asText()), what + ": " + body);
                assertTrue(json.path("error_description").isTextual(), what + ": " + body);
            }
            case "gateway" -> {
                assertTrue(answer.status() == 400 || answer.status() == 401, what + " got " + answer.status());
                var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(dechunk(body));
                assertTrue(json.path("error").asText().matches("invalid_request|invalid_token"), what + ": " + body);
                if (answer.status() == 401) {
                    assertTrue(head.contains("www-authenticate: bearer realm="), what + "\n" + answer.head());
                }
            }
            case "admin" -> {
                assertTrue(answer.status() == 400 || answer.status() == 404, what + " got " + answer.status());
                assertTrue(head.contains("content-type: application/problem+json"), what + "\n" + answer.head());
                var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(dechunk(body));
                assertEquals(answer.status(), json.path("status").asInt(), what + ": " + body);
            }
            case "portal" -> {
                assertEquals(404, answer.status(), what);
                assertTrue(head.contains("content-type: text/html"), what + "\n" + answer.head());
            }
            default -> throw new IllegalArgumentException(kind);
        }
    }

    /** The body without chunked framing, if it was chunked. */
    static String dechunk(String body) {
        if (!body.matches("(?s)^[0-9a-fA-F]+\r\n.*")) {
            return body;
        }
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (at < body.length()) {
            int eol = body.indexOf("\r\n", at);
            int size = Integer.parseInt(body.substring(at, eol).trim(), 16);
            if (size == 0) {
                break;
            }
            out.append(body, eol + 2, eol + 2 + size);
            at = eol + 2 + size + 2;
        }
        return out.toString();
    }

    String tokenPath() {
        return "/auth/" + Fixtures.AUTH_METHOD + "/api/" + api;
    }

    List<byte[]> corpus() {
        List<byte[]> requests = new ArrayList<>();
        Map<String, String> form = Map.of("Content-Type", "application/x-www-form-urlencoded");
        Map<String, String> json = Map.of("Content-Type", "application/json");
        String longId = "a".repeat(20_000);
        String deep = "[".repeat(5000) + "]".repeat(5000);
        for (String endpoint : List.of("/token", "/introspect", "/revoke")) {
            String path = tokenPath() + endpoint;
            requests.add(request("POST", path, form, "grant_type=client_credentials&client_id=%ZZ&client_secret=%".getBytes()));
            requests.add(request("POST", path, form, ("grant_type=client_credentials&client_id=" + longId + "&client_secret=x").getBytes()));
            requests.add(request("POST", path, form, "grant_type=client_credentials&grant_type=client_credentials".getBytes()));
            requests.add(request("POST", path, form, "client_id=' OR '1'='1&client_secret='; DROP TABLE subscription; --&grant_type=client_credentials".getBytes()));
            requests.add(request("POST", path, form, "client_id=..%2F..%2Fetc%2Fpasswd&client_secret=x&grant_type=client_credentials".getBytes()));
            requests.add(request("POST", path, form, new byte[]{'a', '=', (byte) 0xFF, (byte) 0xFE, (byte) 0xC0, (byte) 0x80}));
            requests.add(request("POST", path, json, ("{\"grant_type\":" + deep + "}").getBytes()));
            requests.add(request("POST", path, json, "{\"grant_type\":\"client_credentials\",\"client_id\":{\"$ne\":null}}".getBytes()));
            requests.add(request("POST", path, json, new byte[]{(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '{', '}'}));
            requests.add(request("POST", path, Map.of("Content-Type", "application/x-www-form-urlencoded",
                    "Authorization", "Basic " + Base64.getEncoder().encodeToString(("\u0000:\u0000").getBytes())), "grant_type=client_credentials".getBytes()));
            requests.add(request("POST", path, Map.of("Content-Type", "application/x-www-form-urlencoded", "Authorization", "Basic " + "A".repeat(10_000)),
                    "grant_type=client_credentials".getBytes()));
            requests.add(request("POST", path, Map.of("Content-Type", "application/x-www-form-urlencoded", "X-Injected", "a\rb"),
                    "grant_type=client_credentials".getBytes()));
            requests.add(request("POST", path, form, ("token=" + "e".repeat(200_000)).getBytes()));
            requests.add(request("POST", path, Map.of("Content-Type", "application/x-www-form-urlencoded",
                    "DPoP", "eyJhbGciOiJub25lIn0." + "x".repeat(50_000) + "."), "grant_type=client_credentials".getBytes()));
        }
        // a body over the limit
        requests.add(request("POST", tokenPath() + "/token", form, new byte[2 * 1024 * 1024]));
        // metadata, keys, portal: path tricks
        for (String path : List.of("/.well-known/oauth-authorization-server/auth/..%2F..%2Fadmin/api/x",
                "/.well-known/oauth-authorization-server/auth/%00/api/%0d%0a", "/auth/jwks/../../admin/v1/apis",
                "/portal/apis/%3Cscript%3E", "/portal/apis/" + "x".repeat(3000), "/.well-known/oauth-protected-resource/..%2F..",
                "/auth/" + longId.substring(0, 4000) + "/api/x/token", "/admin/v1/apis/..%2F..%2Fq", "/admin/v1/subscriptions/not-a-uuid")) {
            requests.add(request("GET", path, Map.of(), null));
            requests.add(request("GET", path, Map.of("Authorization", "Bearer " + adminToken), null));
        }
        // admin bodies
        for (String body : List.of(deep, "{\"id\": \"" + longId + "\"}", "{\"id\":null,\"requestPath\":\"/../../admin\",\"upstreamUrl\":\"file:///etc/passwd\"}",
                "\u0000\u0001", "{\"id\":\"x\",\"scopes\":[{\"id\":\"a\\u0000b\"}]}")) {
            requests.add(request("POST", "/admin/v1/apis", Map.of("Content-Type", "application/json", "Authorization", "Bearer " + adminToken),
                    body.getBytes(StandardCharsets.UTF_8)));
        }
        // gateway: tokens of every bad kind
        String[] parts = token.split("\\.");
        String header = new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8);
        List<String> badTokens = List.of(
                "x".repeat(100_000),
                enc(header.replace("\"alg\":\"RS256\"", "\"alg\":\"none\"")) + "." + parts[1] + ".",
                enc(header.replace("{", "{\"jku\":\"http://127.0.0.1:9/keys\",")) + "." + parts[1] + "." + parts[2],
                enc(header.replace("{", "{\"x5u\":\"http://127.0.0.1:9/cert\",")) + "." + parts[1] + "." + parts[2],
                enc(header.replaceAll("\"kid\":\"[^\"]+\"", "\"kid\":\"../../etc/passwd\"")) + "." + parts[1] + "." + parts[2],
                parts[0] + "." + enc("{\"sub\":" + deep + "}") + "." + parts[2],
                "eyJ.eyJ.", "..", "a.b.c.d");
        for (String bad : badTokens) {
            requests.add(request("GET", "/" + api + "/admin", Map.of("Authorization", "Bearer " + bad), null));
            requests.add(request("GET", "/" + api + "/x", Map.of("Authorization", "DPoP " + bad, "DPoP", bad), null));
        }
        requests.add(request("GET", "/" + api + "/x", Map.of("Authorization", "Bearer " + token, "X-Long", "v".repeat(30_000)), null));
        requests.add(request("GET", "/" + api + "/%2e%2e/%2e%2e/admin/v1/apis", Map.of("Authorization", "Bearer " + token), null));
        return requests;
    }

    static String enc(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theCorpusGetsContractAnswersAndChangesNothing() throws Exception {
        Map<String, String> before = DatabaseSnapshot.take(dataSource);
        List<byte[]> corpus = corpus();
        for (int i = 0; i < corpus.size(); i++) {
            byte[] request = corpus.get(i);
            String first = new String(request, 0, Math.min(120, request.length), StandardCharsets.ISO_8859_1).split("\r\n")[0];
            assertContractAnswer("corpus[" + i + "] " + first, raw(request));
        }
        assertEquals(before, DatabaseSnapshot.take(dataSource), "hostile input changed the database");
        // the server still works
        TokenClient.post(api, client.clientId(), client.clientSecret(), null).then().statusCode(200);
    }

    @Test
    void aBodyOverTheLimitIs413() throws Exception {
        Answer answer = raw(request("POST", tokenPath() + "/token", Map.of("Content-Type", "application/x-www-form-urlencoded"),
                new byte[2 * 1024 * 1024]));
        assertEquals(413, answer.status(), answer.head());
    }

    @Test
    void generatedInputGetsContractAnswersAndChangesNothing() throws Exception {
        Map<String, String> before = DatabaseSnapshot.take(dataSource);
        HostileGenerator gen = HostileGenerator.fromSystemProperty();
        List<String> contentTypes = List.of("application/x-www-form-urlencoded", "application/json", "text/plain",
                "multipart/form-data; boundary=x", "application/x-www-form-urlencoded; charset=utf-16", "*/*", "");
        List<String> paths = List.of(tokenPath() + "/token", tokenPath() + "/introspect", tokenPath() + "/revoke");
        for (int i = 0; i < 300; i++) {
            String path = paths.get(i % paths.size());
            String contentType = gen.oneOf(contentTypes);
            byte[] body = switch (i % 3) {
                case 0 -> gen.text(300).getBytes(StandardCharsets.UTF_8);
                case 1 -> gen.chars("=&%+ab_-.:;'\"<>\\/", 200).getBytes(StandardCharsets.UTF_8);
                default -> gen.bytes(2000);
            };
            Map<String, String> headers = new java.util.HashMap<>();
            if (!contentType.isEmpty()) {
                headers.put("Content-Type", contentType);
            }
            if (gen.nextBoolean()) {
                headers.put("Authorization", "Basic " + Base64.getEncoder().encodeToString(gen.text(300).getBytes(StandardCharsets.UTF_8)));
            }
            assertShape("token", gen + " generated[" + i + "] " + path, raw(request("POST", path, headers, body)));
        }
        for (int i = 0; i < 150; i++) {
            String bad = gen.text(300).replaceAll("[\\r\\n\\x00-\\x1f\\x7f-\\x{10ffff}]", "");
            assertShape("gateway", gen + " gateway[" + i + "]", raw(request("GET", "/" + api + "/x", Map.of("Authorization", "Bearer " + bad), null)));
            // never empty: an empty segment is the list page, not hostile input
            String segment = java.net.URLEncoder.encode(gen.text(1, 300), StandardCharsets.UTF_8);
            assertShape("admin", gen + " admin[" + i + "]", raw(request("GET", "/admin/v1/apis/" + segment,
                    Map.of("Authorization", "Bearer " + adminToken), null)));
            assertShape("portal", gen + " portal[" + i + "]", raw(request("GET", "/portal/apis/" + segment, Map.of(), null)));
        }
        assertEquals(before, DatabaseSnapshot.take(dataSource), gen + ": generated input changed the database");
    }
}
