package io.portcullis.token;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TokenRequestParserTest {
    static final String FORM = "application/x-www-form-urlencoded";

    static TokenRequest parse(String contentType, String auth, String body) {
        return TokenRequestParser.parse(contentType, auth == null ? null : List.of(auth), body.getBytes(StandardCharsets.UTF_8), "api");
    }

    static String basic(String raw) {
        return "Basic " + Base64.getEncoder().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void formWithPostCredentials() {
        TokenRequest r = parse(FORM + "; charset=UTF-8", null, "grant_type=client_credentials&client_id=abc&client_secret=s%2Bx+y&scope=read+write");
        assertEquals("client_credentials", r.grantType());
        assertEquals("abc", r.clientId());
        assertEquals("s+x y", r.clientSecret());
        assertEquals("read write", r.scope());
        assertEquals(ClientAuthenticationMethod.CLIENT_SECRET_POST, r.authenticationMethod());
    }

    @Test
    void basicCredentialsAreFormDecoded() {
        TokenRequest r = parse(FORM, basic("my%3Aid:p%40ss%3Aword"), "grant_type=client_credentials");
        assertEquals("my:id", r.clientId());
        assertEquals("p@ss:word", r.clientSecret());
        assertEquals(ClientAuthenticationMethod.CLIENT_SECRET_BASIC, r.authenticationMethod());
    }

    @Test
    void emptyValuesAreAbsent() {
        TokenRequest r = parse(FORM, null, "grant_type=client_credentials&scope=&client_id=a&client_secret=b&&");
        assertNull(r.scope());
    }

    @Test
    void refusals() {
        assertError("invalid_request", () -> parse(FORM, null, "a=1&a=2"));
        assertError("invalid_request", () -> parse(FORM, null, "a=1&a="));
        assertError("invalid_request", () -> parse(FORM, null, "a=%4"));
        assertError("invalid_request", () -> parse(FORM, null, "a=%C3%28"));
        assertError("invalid_request", () -> parse("text/plain", null, "a=1"));
        assertError("invalid_request", () -> parse(null, null, ""));
        assertError("invalid_request", () -> parse("application/json", null, "{\"a\":1}"));
        assertError("invalid_request", () -> parse("application/json", null, "{\"a\":\"1\",\"a\":\"2\"}"));
        assertError("invalid_request", () -> parse("application/json", null, "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]"));
        assertError("invalid_request", () -> parse(FORM, basic("a:b"), "client_secret=b"));
        assertError("invalid_request", () -> parse(FORM, basic("a:b"), "client_id=other"));
        assertError("invalid_request", () -> parse(FORM, "Basic", ""));
        assertError("invalid_request", () -> parse(FORM, "Basic %%%", ""));
        assertError("invalid_request", () -> parse(FORM, null, "client_secret=x"));
        assertError("invalid_client", () -> parse(FORM, "Bearer abc", ""));
        assertError("invalid_request", () -> TokenRequestParser.parse(FORM, List.of(basic("a:b"), basic("a:b")), new byte[0], "api"));
    }

    static void assertError(String error, org.junit.jupiter.api.function.Executable call) {
        assertEquals(error, assertThrows(OAuthError.class, call).error);
    }
}
