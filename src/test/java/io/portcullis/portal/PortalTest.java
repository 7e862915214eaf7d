package io.portcullis.portal;

import io.portcullis.registry.ApiService;
import io.portcullis.registry.AuthMethodDefinition;
import io.portcullis.registry.AuthMethodService;
import io.portcullis.registry.ApiDefinition;
import io.portcullis.support.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The API portal (docs/contract.md#management) as HTML over real HTTP. */
@QuarkusTest
class PortalTest {
    static final String BASE = "http://localhost:8081";

    @Inject
    Fixtures fixtures;

    @Inject
    ApiService apis;

    @Inject
    AuthMethodService authMethods;

    String createApi(String name, String description, boolean deprecated, List<String> authMethods) {
        fixtures.ensureBasics();
        String id = Fixtures.uniqueId("pg");
        apis.create(ApiDefinition.builder(id).name(name + " " + id).description(description).requestPath("/" + id)
                .upstreamUrl("http://127.0.0.1:9/" + id).tokenLifetimeSeconds(900).deprecated(deprecated)
                .authMethods(authMethods)
                .scopes(List.of(new ApiDefinition.Scope("read", "Read the pets"), new ApiDefinition.Scope("write", "Change the pets")))
                .routes(List.of(new ApiDefinition.Route("/admin", List.of(), List.of("read", "write")),
                        new ApiDefinition.Route("/", List.of("POST", "DELETE"), List.of("write")))).plans(List.of(Fixtures.PLAN)).build());
        return id;
    }

    static String page(String apiId) {
        return given().get("/portal/apis/" + apiId).then().log().ifValidationFails()
                .statusCode(200)
                .contentType(containsString("text/html"))
                .extract().asString();
    }

    static String tokenEndpoint(String authMethodId, String apiId) {
        return BASE + "/auth/" + authMethodId + "/api/" + apiId + "/token";
    }

    @Test
    void apiPageShowsTheTokenEndpointsFirstThenTheEndpointScopesAndExamples() {
        fixtures.ensureBasics();
        String partner = Fixtures.uniqueId("am");
        authMethods.create(new AuthMethodDefinition(partner, "Partner & Co", null, true));
        String api = createApi("Pets", "All about pets", false, List.of(Fixtures.AUTH_METHOD, partner));
        String html = page(api);

        String testEndpoint = tokenEndpoint(Fixtures.AUTH_METHOD, api);
        String partnerEndpoint = tokenEndpoint(partner, api);
        String apiEndpoint = BASE + "/" + api;
        int testAt = html.indexOf("data-token-endpoint=\"" + testEndpoint + "\"");
        int partnerAt = html.indexOf("data-token-endpoint=\"" + partnerEndpoint + "\"");
        int apiAt = html.indexOf("data-api-endpoint=\"" + apiEndpoint + "\"");
        assertTrue(testAt > 0, html);
        assertTrue(partnerAt > 0, html);
        assertTrue(apiAt > 0, html);
        // at its top: every token endpoint, by auth method id, before the API's endpoint and everything else
        assertTrue(partnerAt < testAt, "token endpoints are in auth method id order");
        assertTrue(testAt < apiAt, "the token endpoints come before the API endpoint");
        assertTrue(html.indexOf(testEndpoint) < html.indexOf(apiEndpoint + "<"), "the token endpoint URL comes before the API endpoint URL");
        assertTrue(apiAt < html.indexOf("Read the pets"), "the scopes come after the endpoints");
        assertTrue(html.contains(">Partner &amp; Co<"), "the auth method's friendly name, escaped");
        assertTrue(html.contains(">Test<"), "the auth method's friendly name");

        // plain HTML5
        assertTrue(html.startsWith("<!DOCTYPE html>"), html.substring(0, Math.min(80, html.length())));
        assertTrue(html.contains("<html lang=\"en\">"));
        assertEquals(1, html.split("<h1", -1).length - 1, "one h1");
        assertTrue(html.contains("<main"));
        assertTrue(html.contains("<h1>Pets " + api + "</h1>"));
        assertTrue(html.contains("All about pets"));
        assertFalse(html.contains("<link ") || html.contains(" src=\"http"), "nothing is loaded from elsewhere");

        // scopes with their descriptions, in the API's order, and the routes that need them
        assertTrue(html.contains("<code>read</code>") && html.contains("<code>write</code>"));
        assertTrue(html.indexOf("Read the pets") < html.indexOf("Change the pets"));
        assertTrue(html.contains("<code>/admin</code> (any method): requires read, write"), html);
        assertTrue(html.contains("<code>/</code> (DELETE, POST): requires write"), html);
        assertTrue(html.contains("900 seconds (15 minutes)"));

        // the reference page's curl examples, one per token endpoint, and the call
        for (String endpoint : List.of(testEndpoint, partnerEndpoint)) {
            assertTrue(html.contains("curl -X POST -d 'grant_type=client_credentials&amp;client_id=(your client id)"
                    + "&amp;client_secret=(your client secret)&amp;scope=(space separated list)' " + endpoint + "</code>"), html);
        }
        assertTrue(html.contains("curl -H 'Authorization: Bearer (access token)' " + apiEndpoint + "</code>"), html);
        assertTrue(html.contains("data-copy=\"call-example\""), "a copy button");
        assertTrue(html.contains("hidden>Copy</button>"), "copy buttons stay hidden without JavaScript");

        // the metadata links, which work
        String asMetadata = BASE + "/auth/" + Fixtures.AUTH_METHOD + "/api/" + api + "/.well-known/oauth-authorization-server";
        String prMetadata = BASE + "/.well-known/oauth-protected-resource/" + api;
        assertTrue(html.contains("href=\"" + asMetadata + "\""), html);
        assertTrue(html.contains("href=\"" + prMetadata + "\""), html);
        given().get(asMetadata).then().statusCode(200);
        given().get(prMetadata).then().statusCode(200);

        // the token endpoint shown is the issuer's
        given().get(asMetadata).then().body("token_endpoint", org.hamcrest.Matchers.equalTo(testEndpoint));
    }

    @Test
    void descriptionsAreEscaped() {
        String description = "<script>alert('x')</script> & \"more\"";
        String api = createApi("Escaped <b>", description, false, List.of(Fixtures.AUTH_METHOD));
        String escaped = "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;more&quot;";
        String html = page(api);
        assertFalse(html.contains("<script>alert"), html);
        assertFalse(html.contains("<b>"), html);
        assertTrue(html.contains(escaped), html);
        assertTrue(html.contains("Escaped &lt;b&gt; " + api), html);

        String index = given().get("/portal").then().statusCode(200).contentType(containsString("text/html")).extract().asString();
        assertFalse(index.contains("<script>alert"));
        assertTrue(index.contains(escaped), "the list shows the description, escaped");
    }

    @Test
    void theListShowsUsableApisByName() {
        fixtures.ensureBasics();
        String zeta = createApi("Zeta portal", null, false, List.of(Fixtures.AUTH_METHOD));
        String alpha = createApi("Alpha portal", "First", false, List.of(Fixtures.AUTH_METHOD));
        String deprecated = createApi("Deprecated portal", null, true, List.of(Fixtures.AUTH_METHOD));
        String disabledMethod = Fixtures.uniqueId("am");
        authMethods.create(new AuthMethodDefinition(disabledMethod, "Switched off", null, false));
        String unreachable = createApi("Unreachable portal", null, false, List.of(disabledMethod));

        String html = given().get("/portal").then().log().ifValidationFails()
                .statusCode(200)
                .contentType(containsString("text/html"))
                .extract().asString();
        int alphaAt = html.indexOf("href=\"" + BASE + "/portal/apis/" + alpha + "\"");
        int zetaAt = html.indexOf("href=\"" + BASE + "/portal/apis/" + zeta + "\"");
        assertTrue(alphaAt > 0 && zetaAt > 0, html);
        assertTrue(alphaAt < zetaAt, "sorted by name");
        assertFalse(html.contains("/portal/apis/" + deprecated + "\""), "a deprecated API is not listed");
        assertFalse(html.contains("/portal/apis/" + unreachable + "\""), "an API no enabled auth method serves is not listed");
        assertTrue(html.contains("<html lang=\"en\">"));
        assertEquals(1, html.split("<h1", -1).length - 1, "one h1");

        // their pages still exist, and say what is the matter
        String deprecatedPage = page(deprecated);
        assertTrue(deprecatedPage.contains("Deprecated."), deprecatedPage);
        String unreachablePage = page(unreachable);
        assertFalse(unreachablePage.contains("data-token-endpoint"), unreachablePage);
        assertFalse(unreachablePage.contains(tokenEndpoint(disabledMethod, unreachable)), "no endpoint of a disabled auth method");
        assertTrue(unreachablePage.contains("No enabled auth method issues tokens for this API"), unreachablePage);
        assertTrue(unreachablePage.contains("data-api-endpoint=\"" + BASE + "/" + unreachable + "\""));
    }

    /** The built-in admin API is for operators: no portal page, no RFC 9728 document, as for an API that does not exist. */
    @Test
    void theAdminApiIsNotAdvertised() {
        given().get("/portal/apis/admin").then().statusCode(404).body(containsString("API not found"));
        given().get("/.well-known/oauth-protected-resource/admin").then().statusCode(404);
        assertFalse(given().get("/portal").then().statusCode(200).extract().asString().contains("/portal/apis/admin\""));
    }

    /** No inline script runs but the portal's own, by its hash (CSP Level 3): injected markup could run none. */
    @Test
    void theContentSecurityPolicyAllowsOnlyThePortalsScript() throws Exception {
        var response = given().get("/portal").then().statusCode(200).extract();
        String csp = response.header("Content-Security-Policy");
        assertFalse(csp.contains("script-src 'unsafe-inline'") || csp.contains("'unsafe-eval'"), csp);
        String html = response.asString();
        int start = html.indexOf("<script>") + "<script>".length();
        String script = html.substring(start, html.indexOf("</script>", start));
        String hash = java.util.Base64.getEncoder().encodeToString(java.security.MessageDigest.getInstance("SHA-256")
                .digest(script.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertTrue(csp.contains("script-src 'sha256-" + hash + "'"), csp);
    }

    @Test
    void anUnknownApiIs404() {
        given().get("/portal/apis/" + Fixtures.uniqueId("nope")).then()
                .statusCode(404)
                .contentType(containsString("text/html"))
                .body(containsString("API not found"))
                .body(containsString("<html lang=\"en\">"));
        given().urlEncodingEnabled(false).get("/portal/apis/%3Cb%3Ex").then()
                .statusCode(404)
                .contentType(containsString("text/html"))
                .body(containsString("<code>&lt;b&gt;x</code>"));
    }
}
