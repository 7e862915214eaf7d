package io.portcullis.token;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a token request from its body and Authorization header, strictly: RFC 6749 section 3.2
 * (no parameter twice, empty means absent), section 2.3.1 (Basic credentials are form-encoded
 * before base64), and wicked's JSON body as an alternative to the form.
 */
public final class TokenRequestParser {
    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(16).build())
            .build())
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** RFC 7523 section 2.2. */
    public static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    public static final String JWT_SPIFFE = io.portcullis.federation.WorkloadAssertions.JWT_SPIFFE;

    private TokenRequestParser() {
    }

    /**
     * @param contentType          the Content-Type header, or null
     * @param authorizationHeaders every Authorization header sent, or null
     * @param realm                the realm of a Basic challenge
     */
    public static TokenRequest parse(String contentType, List<String> authorizationHeaders, byte[] body, String realm) {
        Map<String, String> params = parseBody(contentType, body == null ? new byte[0] : body);
        String clientId = params.get("client_id");
        String clientSecret = params.get("client_secret");
        ClientAuthenticationMethod method = ClientAuthenticationMethod.NONE;

        if (authorizationHeaders != null && authorizationHeaders.size() > 1) {
            throw OAuthError.invalidRequest("The Authorization header is given more than once");
        }
        String authorization = authorizationHeaders == null || authorizationHeaders.isEmpty() ? null : authorizationHeaders.get(0);
        if (authorization != null) {
            String[] basic = parseBasic(authorization, realm);
            if (clientSecret != null || (clientId != null && !clientId.equals(basic[0]))) {
                throw OAuthError.invalidRequest("Client credentials are given both in the Authorization header and in the body");
            }
            clientId = basic[0];
            clientSecret = basic[1];
            method = ClientAuthenticationMethod.CLIENT_SECRET_BASIC;
        } else if (clientSecret != null) {
            if (clientId == null) {
                throw OAuthError.invalidRequest("client_secret is given without client_id");
            }
            method = ClientAuthenticationMethod.CLIENT_SECRET_POST;
        }
        String assertion = params.get("client_assertion");
        String assertionType = params.get("client_assertion_type");
        if (assertion != null || assertionType != null) {
            // RFC 7521 section 4.2; RFC 6749 section 2.3: one authentication method per request
            // jwt-spiffe: draft-ietf-oauth-spiffe-client-auth, a JWT-SVID from a trusted issuer
            if (!(JWT_BEARER.equals(assertionType) || JWT_SPIFFE.equals(assertionType)) || assertion == null) {
                throw OAuthError.invalidRequest("client_assertion_type must be " + JWT_BEARER + " (or " + JWT_SPIFFE
                        + "), with a client_assertion");
            }
            if (method != ClientAuthenticationMethod.NONE) {
                throw OAuthError.invalidRequest("The client authenticates in more than one way");
            }
            method = ClientAuthenticationMethod.PRIVATE_KEY_JWT;
        }
        return new TokenRequest(params.get("grant_type"), params.get("scope"), params.get("resource"),
                clientId, clientSecret, assertion, method, Map.copyOf(params));
    }

    private static Map<String, String> parseBody(String contentType, byte[] body) {
        String mediaType = contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        // a charset parameter is not checked: RFC 6749 appendix B fixes UTF-8 under the percent-encoding,
        // and clients that label the (ASCII) form ISO-8859-1 are common
        return switch (mediaType) {
            case "application/x-www-form-urlencoded" -> parseForm(body);
            case "application/json" -> parseJson(body);
            default -> throw OAuthError.invalidRequest(
                    "The request body must be application/x-www-form-urlencoded (or application/json)");
        };
    }

    /** application/x-www-form-urlencoded as the WHATWG URL standard defines it, but refusing what is not well-formed. */
    static Map<String, String> parseForm(byte[] body) {
        Map<String, String> params = new HashMap<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        String text = utf8(body, "The request body is not valid UTF-8");
        if (text.isEmpty()) {
            return params;
        }
        for (String pair : text.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = formDecode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : formDecode(pair.substring(eq + 1));
            if (!seen.add(name)) {
                throw OAuthError.invalidRequest("Parameter '" + printable(name) + "' is given more than once");
            }
            if (!value.isEmpty()) {
                params.put(name, value);
            }
        }
        return params;
    }

    private static Map<String, String> parseJson(byte[] body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            // the parser's message can quote the body, which may hold a secret
            throw OAuthError.invalidRequest("The request body is not a valid JSON object");
        }
        if (root == null || !root.isObject()) {
            throw OAuthError.invalidRequest("The request body is not a valid JSON object");
        }
        Map<String, String> params = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            JsonNode value = field.getValue();
            if (value.isNull()) {
                continue;
            }
            if (!value.isTextual()) {
                throw OAuthError.invalidRequest("Parameter '" + printable(field.getKey()) + "' must be a string");
            }
            if (!value.textValue().isEmpty()) {
                params.put(field.getKey(), value.textValue());
            }
        }
        return params;
    }

    /** RFC 7617 Basic, with RFC 6749 section 2.3.1's form-encoding of the id and the secret. */
    private static String[] parseBasic(String header, String realm) {
        int space = header.indexOf(' ');
        if (space < 0) {
            throw OAuthError.invalidRequest("The Authorization header is malformed");
        }
        String scheme = header.substring(0, space);
        if (!scheme.equalsIgnoreCase("Basic")) {
            // RFC 6749 section 5.2: a client that used the Authorization header is told which scheme to use
            throw OAuthError.unsupportedClientAuthentication("Only Basic client authentication is accepted in the Authorization header")
                    .withHeader("WWW-Authenticate", "Basic realm=\"" + realm + "\"");
        }
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(header.substring(space + 1).trim());
        } catch (IllegalArgumentException e) {
            throw OAuthError.invalidRequest("The Basic authorization header is malformed");
        }
        String pair = utf8(decoded, "The Basic authorization header is malformed");
        int colon = pair.indexOf(':');
        if (colon <= 0) {
            throw OAuthError.invalidRequest("The Basic authorization header is malformed");
        }
        return new String[]{formDecode(pair.substring(0, colon)), formDecode(pair.substring(colon + 1))};
    }

    private static String formDecode(String s) {
        if (s.indexOf('%') < 0 && s.indexOf('+') < 0) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '+') {
                out.write(' ');
            } else if (c == '%') {
                if (i + 2 >= s.length() || Character.digit(s.charAt(i + 1), 16) < 0 || Character.digit(s.charAt(i + 2), 16) < 0) {
                    throw OAuthError.invalidRequest("The request contains a malformed percent-encoding");
                }
                out.write(Character.digit(s.charAt(i + 1), 16) * 16 + Character.digit(s.charAt(i + 2), 16));
                i += 2;
            } else {
                int codePoint = s.codePointAt(i);
                byte[] bytes = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8);
                out.write(bytes, 0, bytes.length);
                i += Character.charCount(codePoint) - 1;
            }
        }
        return utf8(out.toByteArray(), "The request contains a percent-encoding that is not UTF-8");
    }

    private static String utf8(byte[] bytes, String error) {
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw OAuthError.invalidRequest(error);
        }
    }

    /** A parameter name echoed in an error: short, and nothing that could break a header or a log line. */
    private static String printable(String name) {
        String cleaned = name.replaceAll("[^A-Za-z0-9_.-]", "?");
        return cleaned.length() > 40 ? cleaned.substring(0, 40) + "…" : cleaned;
    }
}
