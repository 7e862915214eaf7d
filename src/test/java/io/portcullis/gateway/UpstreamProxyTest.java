package io.portcullis.gateway;

import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The request line the upstream gets (RFC 9112 section 3): the API's path mapped, nothing that splits it. */
class UpstreamProxyTest {
    @Test
    void theApisPathIsReplacedByTheUpstreamsOnce() {
        assertEquals("/v1/items?q=1", UpstreamProxy.upstreamUri(URI.create("http://u/v1/"), "/items", "q=1"));
        assertEquals("/", UpstreamProxy.upstreamUri(URI.create("http://u"), "", null));
    }

    @Test
    void aTargetOrMethodWithWhitespaceOrControlIsNotForwarded() {
        assertTrue(UpstreamProxy.forwardableToken("/v1/items?q=%20a"));
        assertTrue(UpstreamProxy.forwardableToken("PATCH"));
        // HTTP/2's :path and :method reach the gateway unchecked for these
        for (String bad : new String[] {"/a b", "/a\tb", "/a\u0000b", "/a\u000bb", "/a\u007fb", "/a\r\nHost: x", "GET /x"}) {
            assertFalse(UpstreamProxy.forwardableToken(bad), bad);
        }
    }
}
