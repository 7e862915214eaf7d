package io.portcullis.gateway;

import io.portcullis.registry.AccessTokenType;
import io.portcullis.registry.ApiDefinition;
import io.portcullis.registry.ApiView;
import io.portcullis.token.VerifiedToken;
import io.vertx.core.MultiMap;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which headers cross the gateway, each way, without HTTP. */
class UpstreamHeadersTest {
    static ApiView api(boolean hideCredentials) {
        return ApiView.of(ApiDefinition.builder("pets").name("Pets").requestPath("/pets").upstreamUrl("http://pets:8080")
                .tokenLifetimeSeconds(3600).clientCredentialsEnabled(true).hideCredentials(hideCredentials).deprecated(false)
                .upstreamTimeoutSeconds(60).dpopRequired(false).accessTokenType("at+jwt").authMethods("default")
                .scopes(List.of(new ApiDefinition.Scope("read", "Read"))).routes().plans().build());
    }

    static final VerifiedToken TOKEN = VerifiedToken.builder().issuer("iss").audience("pets").clientId("client-1")
            .subscriptionId("sub-1").applicationId("app").planId("basic").authMethod("default")
            .scopes(Set.of("write", "read")).issuedAt(1).expiresAt(2).jti("jti").subject("client-1")
            .type(AccessTokenType.AT_JWT).build();

    @Test
    void theGatewaysOwnHeadersReplaceTheCallers() {
        MultiMap in = MultiMap.caseInsensitiveMultiMap()
                .add("X-Consumer-Custom-ID", "forged").add("X_Consumer_Username", "evil").add("X-Consumer-Groups", "admins")
                .add("X-Authenticated-Userid", "root").add("X-Forwarded-For", "6.6.6.6").add("Forwarded", "for=6.6.6.6")
                .add("X-HTTP-Method-Override", "DELETE").add("Host", "evil").add("Authorization", "Bearer t").add("X-Kept", "yes");
        MultiMap out = UpstreamHeaders.toUpstream(in, api(false), TOKEN, "10.1.2.3", "https", "api.example.com");
        assertEquals("sub-1", out.get("X-Consumer-Custom-ID"));
        assertEquals("app$pets", out.get("X-Consumer-Username"));
        assertEquals("read write", out.get("X-Authenticated-Scope"), "sorted");
        assertEquals("client-1", out.get("X-Authenticated-Client-Id"));
        assertEquals("10.1.2.3", out.get("X-Forwarded-For"));
        assertEquals("https", out.get("X-Forwarded-Proto"));
        assertEquals("api.example.com", out.get("X-Forwarded-Host"));
        assertEquals("1.1 portcullis", out.get("Via"));
        assertEquals("Bearer t", out.get("Authorization"));
        assertEquals("yes", out.get("X-Kept"));
        for (String gone : List.of("X_Consumer_Username", "X-Consumer-Groups", "X-Authenticated-Userid", "Forwarded",
                "X-HTTP-Method-Override", "Host")) {
            assertNull(out.get(gone), gone);
        }
        assertEquals(1, out.getAll("X-Forwarded-For").size());
    }

    @Test
    void everyHeaderTheGatewayAddsIsItsOwnOnly() {
        MultiMap clean = UpstreamHeaders.toUpstream(MultiMap.caseInsensitiveMultiMap(), api(false), TOKEN, "10.1.2.3", "https", "api.example.com");
        MultiMap forged = MultiMap.caseInsensitiveMultiMap();
        for (String name : clean.names()) {
            // Via is the one the gateway adds to: a caller's Via stays, to count hops
            if (!name.equalsIgnoreCase("Via")) {
                forged.add(name, "forged").add(name.toLowerCase(java.util.Locale.ROOT), "forged").add(name.replace('-', '_'), "forged");
            }
        }
        assertTrue(forged.size() >= 7, "every added name was sent");
        MultiMap out = UpstreamHeaders.toUpstream(forged, api(false), TOKEN, "10.1.2.3", "https", "api.example.com");
        assertEquals(clean.names(), out.names());
        for (String name : clean.names()) {
            assertEquals(clean.getAll(name), out.getAll(name), name);
        }
    }

    @Test
    void aMissingValueIsNoHeader() {
        // a caller on a Unix domain socket has no address
        MultiMap out = UpstreamHeaders.toUpstream(MultiMap.caseInsensitiveMultiMap(), api(false), TOKEN, null, "https", null);
        assertFalse(out.contains("X-Forwarded-For"));
        assertFalse(out.contains("X-Forwarded-Host"));
        assertEquals("https", out.get("X-Forwarded-Proto"));
    }

    @Test
    void aValueHttp11CannotCarryIsRefusedNotForwarded() {
        // HTTP/2's decoder checks no values: a CR LF must not become a header (or a request) of its own upstream
        MultiMap in = MultiMap.caseInsensitiveMultiMap().add("X-Note", "a\r\nX-Consumer-Custom-ID: victim");
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> UpstreamHeaders.toUpstream(in, api(false), TOKEN, "10.1.2.3", "https", "api.example.com"));
        MultiMap folded = MultiMap.caseInsensitiveMultiMap().add("X-Note", "a\r\n X-Consumer-Custom-ID: victim");
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> UpstreamHeaders.toUpstream(folded, api(false), TOKEN, "10.1.2.3", "https", "api.example.com"));
        MultiMap longFolded = MultiMap.caseInsensitiveMultiMap().add("Authorization", "Bearer " + "x".repeat(100) + "\n\tX-A: b");
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> UpstreamHeaders.toUpstream(longFolded, api(false), TOKEN, "10.1.2.3", "https", "api.example.com"));
        MultiMap nul = MultiMap.caseInsensitiveMultiMap().add("X-Note", "a\u0000b");
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> UpstreamHeaders.toUpstream(nul, api(false), TOKEN, "10.1.2.3", "https", "api.example.com"));
    }

    @Test
    void aLongValueIsForwardedByteForByte() {
        String token = "Bearer " + "eyJhbGciOiJSUzI1NiJ9.".repeat(40);
        MultiMap out = UpstreamHeaders.toUpstream(MultiMap.caseInsensitiveMultiMap().add("Authorization", token),
                api(false), TOKEN, "10.1.2.3", "https", "api.example.com");
        assertEquals(token, out.get("Authorization"));
        assertTrue(((io.netty.handler.codec.http.HttpHeaders) out).getAll("Authorization").size() == 1);
    }

    @Test
    void hiddenCredentialsAndHopByHopHeadersStop() {
        MultiMap in = MultiMap.caseInsensitiveMultiMap().add("Authorization", "Bearer t").add("Connection", "close, X-Secret")
                .add("X-Secret", "hop").add("Keep-Alive", "timeout=5").add("TE", "trailers");
        MultiMap out = UpstreamHeaders.toUpstream(in, api(true), TOKEN, "10.1.2.3", "https", "api.example.com");
        assertNull(out.get("Authorization"));
        assertNull(out.get("X-Secret"));
        assertNull(out.get("Keep-Alive"));
        assertNull(out.get("TE"));
        assertNull(out.get("Connection"));
    }

    @Test
    void theCallerGetsAllButHopByHopHeadersAndTheUpstreamsRequestId() {
        MultiMap upstream = MultiMap.caseInsensitiveMultiMap().add("Connection", "X-Hop").add("X-Hop", "1")
                .add("Transfer-Encoding", "chunked").add("X-Request-Id", "upstream-id").add("Content-Type", "text/plain");
        MultiMap out = MultiMap.caseInsensitiveMultiMap().add("X-Request-Id", "gateway-id");
        UpstreamHeaders.toCaller(upstream, out);
        assertEquals(List.of("gateway-id"), out.getAll("X-Request-Id"));
        assertEquals("text/plain", out.get("Content-Type"));
        assertFalse(out.contains("X-Hop"));
        assertFalse(out.contains("Transfer-Encoding"));
    }

    @Test
    void loopsAreCountedByVia() {
        MultiMap in = MultiMap.caseInsensitiveMultiMap().add("Via", "1.1 portcullis, 1.0 other").add("Via", "1.1 portcullis");
        assertEquals(2, UpstreamHeaders.hops(in));
        assertTrue(UpstreamHeaders.identityPrefixed("x-forwarded-user"));
        assertFalse(UpstreamHeaders.identityPrefixed("x-kept"));
    }
}
