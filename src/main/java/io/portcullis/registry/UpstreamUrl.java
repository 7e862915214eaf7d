package io.portcullis.registry;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * What an API's {@code upstreamUrl} must be (docs/contract.md#management): an absolute {@code http}
 * or {@code https} URL (RFC 3986 section 4.3) with a host the gateway can connect to, and no user
 * information, query or fragment. Parsed as the gateway parses it, so that what is accepted at write
 * time is what is proxied to: {@code java.net.URI} finds no host in {@code http://orders_svc:8080}
 * (an underscore is no host name), and a proxy that then fell back to a default would send the
 * request to a machine nobody named.
 */
public final class UpstreamUrl {
    private UpstreamUrl() {
    }

    /** The URL, or null when it is not one the gateway can proxy to. */
    public static URI parse(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            return null;
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null || uri.getRawUserInfo() != null
                || uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getPort() == 0 || uri.getPort() > 65535) {
            return null;
        }
        return uri;
    }
}
