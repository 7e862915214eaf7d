package io.portcullis.gateway;

import io.portcullis.registry.ApiService;
import io.portcullis.registry.ApiDefinition;
import io.portcullis.registry.IssuedCredentials;
import io.portcullis.support.Fixtures;
import io.portcullis.support.TestUpstream;
import io.portcullis.support.TokenClient;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 640 MiB each way through the gateway, more than the test JVM's heap, capped at 512 MB (surefire's
 * argLine), and arranged so that it can only finish if the gateway streams: the upload pauses
 * until the upstream has seen its first bytes, the download until the client has.
 */
@QuarkusTest
class GatewayStreamingTest {
    static final long SIZE = 640L * 1024 * 1024;

    @Inject
    Fixtures fixtures;

    @Inject
    ApiService apis;

    @Test
    void bodiesLargerThanTheHeapAreStreamedEachWay() throws Exception {
        assertTrue(Runtime.getRuntime().maxMemory() < SIZE, "the heap must be capped below the body size, is "
                + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MB");
        try (TestUpstream upstream = new TestUpstream()) {
            fixtures.ensureBasics();
            String api = Fixtures.uniqueId("stream");
            apis.create(ApiDefinition.builder(api).name("Streaming").requestPath("/" + api).upstreamUrl(upstream.url("/"))
                    .authMethods(List.of(Fixtures.AUTH_METHOD)).scopes(List.of()).routes(List.of())
                    .plans(List.of(Fixtures.PLAN)).upstreamTimeoutSeconds(30).build());
            IssuedCredentials client = fixtures.subscribe(api);
            String token = TokenClient.token(api, client.clientId(), client.clientSecret(), null);
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

            HttpResponse<String> uploaded = http.send(HttpRequest.newBuilder(URI.create("http://localhost:8081/" + api + "/upload"))
                    .header("Authorization", "Bearer " + token)
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new PausingStream(SIZE, upstream)))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, uploaded.statusCode(), uploaded.body());
            assertTrue(uploaded.body().contains("\"bodyBytes\":" + SIZE), uploaded.body());

            HttpResponse<InputStream> download = http.send(HttpRequest.newBuilder(
                            URI.create("http://localhost:8081/" + api + "/download?bytes=" + SIZE))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, download.statusCode());
            long received = 0;
            byte[] buffer = new byte[64 * 1024];
            try (InputStream in = download.body()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    received += n;
                    if (received >= TestUpstream.CHUNK) {
                        upstream.clientReceivedFirstChunk.countDown();
                    }
                }
            }
            assertEquals(SIZE, received);
        }
    }

    @Test
    void aCallerThatGoesAwayMidStreamFreesTheUpstream() throws Exception {
        try (TestUpstream upstream = new TestUpstream()) {
            fixtures.ensureBasics();
            String api = Fixtures.uniqueId("abort");
            apis.create(ApiDefinition.builder(api).name("Abort").requestPath("/" + api).upstreamUrl(upstream.url("/"))
                    .authMethods(List.of(Fixtures.AUTH_METHOD)).scopes(List.of()).routes(List.of())
                    .plans(List.of(Fixtures.PLAN)).upstreamTimeoutSeconds(30).build());
            IssuedCredentials client = fixtures.subscribe(api);
            String token = TokenClient.token(api, client.clientId(), client.clientSecret(), null);
            try (java.net.Socket socket = new java.net.Socket("localhost", 8081)) {
                socket.getOutputStream().write(("GET /" + api + "/download?bytes=" + SIZE + " HTTP/1.1\r\nHost: localhost\r\n"
                        + "Authorization: Bearer " + token + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
                byte[] buffer = new byte[TestUpstream.CHUNK];
                long read = 0;
                while (read < TestUpstream.CHUNK) {
                    read += socket.getInputStream().read(buffer);
                }
                upstream.clientReceivedFirstChunk.countDown();
            } // the caller hangs up after the first 64 KiB chunk of 640 MiB
            assertTrue(upstream.downloadBrokenOff.await(10, TimeUnit.SECONDS),
                    "the upstream kept sending to a caller that had gone away");
        }
    }

    /** A request body that stops after its first chunk until the upstream has received it. */
    static final class PausingStream extends InputStream {
        private final long size;
        private final TestUpstream upstream;
        private long sent;

        PausingStream(long size, TestUpstream upstream) {
            this.size = size;
            this.upstream = upstream;
        }

        @Override
        public int read() {
            throw new UnsupportedOperationException();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (sent >= size) {
                return -1;
            }
            if (sent >= TestUpstream.CHUNK) {
                try {
                    if (!upstream.firstUploadChunkArrived.await(20, TimeUnit.SECONDS)) {
                        throw new IOException("the upstream never saw the first chunk: the gateway is buffering the upload");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException(e);
                }
            }
            int n = (int) Math.min(Math.min(len, TestUpstream.CHUNK), size - sent);
            java.util.Arrays.fill(b, off, off + n, (byte) 'x');
            sent += n;
            return n;
        }
    }
}
