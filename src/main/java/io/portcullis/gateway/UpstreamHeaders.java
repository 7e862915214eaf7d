package io.portcullis.gateway;

import io.portcullis.registry.ApiView;
import io.portcullis.token.VerifiedToken;
import io.vertx.core.MultiMap;
import io.vertx.core.http.impl.headers.HeadersMultiMap;

import java.util.Locale;
import java.util.Set;

/** Which headers cross the gateway, each way (docs/contract.md#gateway, RFC 9110 section 7.6.1). */
public final class UpstreamHeaders {
    /** RFC 9110 section 7.6.1, plus the obsolete Proxy-Connection and the trailer spellings. */
    static final Set<String> HOP_BY_HOP = Set.of("connection", "proxy-connection", "keep-alive", "te", "trailer", "trailers",
            "transfer-encoding", "upgrade", "proxy-authenticate", "proxy-authorization");

    /**
     * What the gateway tells the upstream, and what an upstream might trust as identity, routing or
     * method (docs/contract.md#gateway): a caller's own copies are dropped so they cannot be forged.
     */
    static final Set<String> GATEWAY_HEADERS = Set.of("x-consumer-custom-id", "x-consumer-username", "x-authenticated-scope",
            "x-authenticated-client-id", "x-forwarded-for", "x-forwarded-proto", "x-forwarded-host", "x-forwarded-port",
            "x-forwarded-prefix", "forwarded", "host",
            "x-real-ip", "true-client-ip", "x-client-ip", "x-forwarded-server", "x-original-url", "x-rewrite-url",
            "client-cert", "client-cert-chain",
            // a route's scopes are chosen by the request's method: an upstream must not be told another one
            "x-http-method-override", "x-http-method", "x-method-override");

    /**
     * Whole families an upstream written for Kong, wicked or oauth2-proxy may trust (X-Consumer-ID,
     * X-Consumer-Groups, X-Authenticated-Userid, X-Credential-Identifier, X-Forwarded-User, …).
     */
    static final java.util.List<String> IDENTITY_PREFIXES = java.util.List.of("x-consumer-", "x-authenticated-", "x-forwarded-",
            "x-credential-", "x-anonymous-", "x-auth-request-");

    private static final io.netty.util.AsciiString CONSUMER_CUSTOM_ID = io.netty.util.AsciiString.cached("X-Consumer-Custom-ID");
    private static final io.netty.util.AsciiString CONSUMER_USERNAME = io.netty.util.AsciiString.cached("X-Consumer-Username");
    private static final io.netty.util.AsciiString AUTHENTICATED_SCOPE = io.netty.util.AsciiString.cached("X-Authenticated-Scope");
    private static final io.netty.util.AsciiString AUTHENTICATED_CLIENT_ID = io.netty.util.AsciiString.cached("X-Authenticated-Client-Id");
    private static final io.netty.util.AsciiString FORWARDED_FOR = io.netty.util.AsciiString.cached("X-Forwarded-For");
    private static final io.netty.util.AsciiString FORWARDED_PROTO = io.netty.util.AsciiString.cached("X-Forwarded-Proto");
    private static final io.netty.util.AsciiString FORWARDED_HOST = io.netty.util.AsciiString.cached("X-Forwarded-Host");
    private static final io.netty.util.AsciiString VIA = io.netty.util.AsciiString.cached("Via");
    private static final io.netty.util.AsciiString VIA_PORTCULLIS = io.netty.util.AsciiString.cached("1.1 portcullis");

    static boolean identityPrefixed(String name) {
        for (String prefix : IDENTITY_PREFIXES) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    private UpstreamHeaders() {
    }

    /**
     * The request headers the upstream receives.
     *
     * @throws IllegalArgumentException for a header value that HTTP/1.1 cannot carry
     *
     * @param scheme the public URL's scheme, and {@code host} its authority: never the request's
     *               (docs/contract.md#gateway), which a caller chooses
     */
    public static HeadersMultiMap toUpstream(MultiMap incoming, ApiView api, VerifiedToken token, String remoteAddress,
                                      String scheme, String host) {
        Set<String> connectionListed = listedInConnection(incoming);
        // this map is the upstream request's head as Netty encodes it: every value the caller sent is checked
        // (forwardable), since HTTP/2's decoder checks none; the names were checked by both decoders
        HeadersMultiMap out = HeadersMultiMap.headers();
        incoming.forEach(header -> {
            // CGI-style upstreams read X_Consumer_Username as X-Consumer-Username: those spellings go too
            String name = header.getKey().toLowerCase(Locale.ROOT).replace('_', '-');
            if (HOP_BY_HOP.contains(name) || connectionListed.contains(name) || GATEWAY_HEADERS.contains(name) || identityPrefixed(name)
                    || (api.hideCredentials() && name.equals("authorization"))) {
                return;
            }
            out.add((CharSequence) header.getKey(), forwardable(asBytes(header.getValue())));
        });
        // added, not set: the caller's own copies were all dropped above (UpstreamHeadersTest sends every one);
        // and the names are AsciiStrings, whose hash is kept and whose bytes Netty copies in one piece (a String
        // is hashed and written a character at a time). A missing value is no header, as set() made it.
        addPresent(out, CONSUMER_CUSTOM_ID, token.subscriptionId());
        addPresent(out, CONSUMER_USERNAME, token.applicationId() + "$" + api.id());
        if (!token.scopes().isEmpty()) {
            addPresent(out, AUTHENTICATED_SCOPE, String.join(" ", token.scopes().stream().sorted().toList()));
        }
        addPresent(out, AUTHENTICATED_CLIENT_ID, token.clientId());
        addPresent(out, FORWARDED_FOR, remoteAddress);
        addPresent(out, FORWARDED_PROTO, scheme);
        addPresent(out, FORWARDED_HOST, host);
        // RFC 9110 section 7.6.3; also how a request that loops back into the gateway is recognised
        out.add(VIA, VIA_PORTCULLIS);
        return out;
    }

    private static void addPresent(HeadersMultiMap out, io.netty.util.AsciiString name, String value) {
        if (value != null) {
            out.add(name, value);
        }
    }

    /**
     * The response headers the caller receives: all but the hop-by-hop ones, and the upstream's
     * X-Request-Id: the caller already has the gateway's (which the upstream was given), once.
     */
    public static void toCaller(MultiMap upstream, MultiMap out) {
        Set<String> connectionListed = listedInConnection(upstream);
        upstream.forEach(header -> {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (!HOP_BY_HOP.contains(name) && !connectionListed.contains(name) && !name.equals("x-request-id")) {
                out.add(header.getKey(), header.getValue());
            }
        });
    }

    /**
     * A long value (a bearer token: ~700 characters for RS256) as the bytes it arrived as, which Netty's
     * encoder copies in one piece; a String it writes character by character, which was about a tenth
     * of a warm gateway request's CPU in a JFR profile. Lossless: a received header value is ISO-8859-1
     * (a character per byte), and Netty writes any other character as {@code ?} either way.
     */
    static CharSequence asBytes(String value) {
        return value.length() < LONG_VALUE ? value
                : new io.netty.util.AsciiString(value.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), false);
    }

    /**
     * RFC 9110 section 5.5: no control character but HTAB, and no DEL, so no CR or LF at all (a folded
     * line, CR LF and a space, is refused too: RFC 9112 section 5.2 forbids sending one).
     *
     * @throws IllegalArgumentException for a value that HTTP/1.1 cannot carry
     */
    static CharSequence forwardable(CharSequence value) {
        if (io.netty.handler.codec.http.HttpHeaderValidationUtil.validateValidHeaderValue(value) != -1) {
            throw new IllegalArgumentException("A header value has a character HTTP/1.1 cannot carry");
        }
        return value;
    }

    /** Below this, a header value is kept as it is: the copy would cost more than it saves. */
    static final int LONG_VALUE = 64;

    /** How many times this request has passed a Portcullis gateway already. */
    static int hops(MultiMap incoming) {
        int hops = 0;
        for (String via : incoming.getAll("Via")) {
            for (String part : via.split(",")) {
                if (part.trim().endsWith(" portcullis")) {
                    hops++;
                }
            }
        }
        return hops;
    }

    private static Set<String> listedInConnection(MultiMap headers) {
        java.util.Set<String> names = new java.util.HashSet<>();
        for (String value : headers.getAll("Connection")) {
            for (String token : value.split(",")) {
                names.add(token.trim().toLowerCase(Locale.ROOT));
            }
        }
        return names;
    }
}
