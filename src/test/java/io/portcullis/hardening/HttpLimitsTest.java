package io.portcullis.hardening;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A client that sends part of a request and then nothing does not hold its socket: the server closes
 * an idle connection (quarkus.http.idle-timeout, 75 s in production; 3 s here so that the test waits
 * on the close itself, bounded, rather than on a clock).
 */
@QuarkusTest
@TestProfile(io.portcullis.support.SecondConfiguration.class)
class HttpLimitsTest {
    @Test
    void aSilentHalfRequestIsDisconnected() throws Exception {
        try (Socket socket = new Socket("localhost", 8081)) {
            socket.getOutputStream().write("GET /portal HTTP/1.1\r\nHost: localhost\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            // the server must end the connection on its own; 20 s is the bound of the wait, not a sleep
            socket.setSoTimeout(20_000);
            InputStream in = socket.getInputStream();
            try {
                while (in.read() >= 0) {
                    // whatever it says before closing (it may say nothing)
                }
            } catch (SocketTimeoutException e) {
                fail("the idle connection was still open after 20 s");
            } catch (java.net.SocketException closed) {
                // reset: closed too
            }
            assertEquals(-1, safeRead(in));
        }
    }

    private static int safeRead(InputStream in) {
        try {
            return in.read();
        } catch (java.io.IOException e) {
            return -1;
        }
    }
}
