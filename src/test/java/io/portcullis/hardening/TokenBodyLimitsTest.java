package io.portcullis.hardening;

import io.portcullis.support.Fixtures;
import io.portcullis.registry.IssuedCredentials;
import io.portcullis.support.TokenClient;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The token endpoint reads bodies into memory: docs/contract.md#token-endpoint bounds each (1 MB),
 * all of them together (16 MiB) and how long one may take (portcullis.token-endpoint.body-deadline,
 * 2 s in tests), so that many slow or large bodies cannot fill the heap or hold it.
 */
@QuarkusTest
class TokenBodyLimitsTest {
    @Inject
    Fixtures fixtures;

    @Inject
    io.micrometer.core.instrument.MeterRegistry meters;

    /** portcullis_tokens_refused_total of this API for this error: the body refusals are counted with the grant's. */
    private double refused(String api, String error) {
        var counter = meters.find("portcullis.tokens.refused").tag("api", api).tag("error", error).counter();
        return counter == null ? 0 : counter.count();
    }

    private static String head(String path, String framing) {
        return "POST " + path + " HTTP/1.1\r\nHost: localhost:8081\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                + framing + "\r\n\r\n";
    }

    /** The status line of what the server answered, read until it closes or answers. */
    private static int status(Socket socket) throws Exception {
        socket.setSoTimeout(30_000);
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        try {
            int b;
            while (answer.size() < 12 && (b = in.read()) != -1) {
                answer.write(b);
            }
        } catch (java.net.SocketException reset) {
            // closed with the rest of the body unread: what arrived before is what was answered
        }
        String line = answer.toString(StandardCharsets.ISO_8859_1);
        return line.length() >= 12 ? Integer.parseInt(line.substring(9, 12)) : -1;
    }

    @Test
    void aChunkedBodyOverTheLimitIs413() throws Exception {
        String api = fixtures.api("read");
        try (Socket socket = new Socket("localhost", 8081)) {
            OutputStream out = socket.getOutputStream();
            out.write(head("/auth/" + Fixtures.AUTH_METHOD + "/api/" + api + "/token", "Transfer-Encoding: chunked")
                    .getBytes(StandardCharsets.ISO_8859_1));
            byte[] chunk = new byte[64 * 1024];
            java.util.Arrays.fill(chunk, (byte) 'a');
            try {
                for (int i = 0; i < 20; i++) { // 1.25 MiB
                    out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    out.write(chunk);
                    out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                }
                out.flush();
            } catch (java.io.IOException closed) {
                // the server answers and closes without reading the rest
            }
            assertEquals(413, status(socket));
        }
        assertEquals(1, refused(api, "invalid_request"), 0.0, "the 413 is counted as a refusal of an invalid request");
    }

    @Test
    void slowAndLargeBodiesShareABudgetAndADeadlineAndHonestClientsStillGetTokens() throws Exception {
        String api = fixtures.api("read");
        IssuedCredentials client = fixtures.subscribe(api);
        String path = "/auth/" + Fixtures.AUTH_METHOD + "/api/" + api + "/token";
        byte[] almost = new byte[999_000];
        java.util.Arrays.fill(almost, (byte) 'a');
        List<Socket> held = new ArrayList<>();
        try {
            // 18 bodies of 999,000 bytes that never finish: more than 16 MiB in all
            for (int i = 0; i < 18; i++) {
                Socket socket = new Socket("localhost", 8081);
                held.add(socket);
                OutputStream out = socket.getOutputStream();
                out.write(head(path, "Content-Length: 1000000").getBytes(StandardCharsets.ISO_8859_1));
                try {
                    out.write(almost);
                    out.flush();
                } catch (java.io.IOException refused) {
                    // refused over the budget: answered and closed
                }
            }
            List<Integer> answers = new ArrayList<>();
            for (Socket socket : held) {
                answers.add(status(socket));
            }
            assertTrue(answers.contains(503), "over the budget: " + answers);
            assertTrue(answers.contains(408), "past the deadline: " + answers);
            assertTrue(answers.stream().allMatch(s -> s == 503 || s == 408), answers.toString());
            assertEquals(answers.stream().filter(s -> s == 503).count(), refused(api, "temporarily_unavailable"), 0.0, "503s counted");
            assertEquals(answers.stream().filter(s -> s == 408).count(), refused(api, "invalid_request"), 0.0, "408s counted");
        } finally {
            for (Socket socket : held) {
                socket.close();
            }
        }
        // their memory is released: an honest request is answered as ever
        TokenClient.token(api, client.clientId(), client.clientSecret(), "read");
    }
}
