package io.portcullis.registry;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** An upstream URL is accepted only when the gateway can connect to the host it names. */
class UpstreamUrlTest {
    @Test
    void absoluteHttpUrlsWithAHost() {
        assertEquals("pets", UpstreamUrl.parse("http://pets:8080/v2").getHost());
        assertNotNull(UpstreamUrl.parse("https://api.example.com"));
        assertNotNull(UpstreamUrl.parse("HTTP://10.0.0.1/"));
        assertNotNull(UpstreamUrl.parse("http://[::1]:9000/x"));
    }

    @Test
    void nothingTheGatewayWouldHaveToGuessAbout() {
        // no host by RFC 3986's rules: an underscore, braces
        assertNull(UpstreamUrl.parse("http://orders_svc:8080"));
        assertNull(UpstreamUrl.parse("http://a{b}/"));
        assertNull(UpstreamUrl.parse("http:///x"));
        assertNull(UpstreamUrl.parse("/relative"));
        assertNull(UpstreamUrl.parse("pets:8080"));
        assertNull(UpstreamUrl.parse("ftp://pets/"));
        // credentials, query and fragment do not belong in it
        assertNull(UpstreamUrl.parse("http://user:secret@pets/"));
        assertNull(UpstreamUrl.parse("http://pets/?a=1"));
        assertNull(UpstreamUrl.parse("http://pets/#x"));
        assertNull(UpstreamUrl.parse("http://pets:0/"));
        assertNull(UpstreamUrl.parse("http://pets:70000/"));
        assertNull(UpstreamUrl.parse(""));
        assertNull(UpstreamUrl.parse(null));
    }
}
