package io.portcullis.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A real upstream HTTP server on a random port, for the gateway tests (the JDK's own server, so
 * nothing of ours is on both sides). Paths:
 * <ul>
 *   <li>anything else: echoes method, URI, headers and the number of body bytes as JSON;</li>
 *   <li>{@code /slow}: answers after 3 s;</li>
 *   <li>{@code /reset}: closes the connection without answering;</li>
 *   <li>{@code /download?bytes=N}: streams N bytes, pausing after the first chunk until
 *       {@link #clientReceivedFirstChunk} opens (so it only completes if the gateway streams);</li>
 *   <li>{@code /upload}: counts the body, opening {@link #firstUploadChunkArrived} on the first bytes.</li>
 * </ul>
 */
public final class TestUpstream implements AutoCloseable {
    public static final int CHUNK = 64 * 1024;

    private final HttpServer server;
    public final CountDownLatch firstUploadChunkArrived = new CountDownLatch(1);
    public final CountDownLatch clientReceivedFirstChunk = new CountDownLatch(1);
    /** Opened when a download could not be finished because the other side went away. */
    public final CountDownLatch downloadBrokenOff = new CountDownLatch(1);

    public TestUpstream() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "test-upstream");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", this::handle);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        try (exchange) {
            if (path.endsWith("/slow")) {
                sleep(3000);
                respond(exchange, 200, "{\"slow\":true}");
            } else if (path.endsWith("/reset")) {
                exchange.getHttpContext().getServer(); // no answer: the connection is closed below
                exchange.getResponseBody().close();
                throw new IOException("reset on purpose");
            } else if (path.endsWith("/download")) {
                long bytes = Long.parseLong(exchange.getRequestURI().getQuery().replace("bytes=", ""));
                exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
                exchange.sendResponseHeaders(200, 0);
                byte[] chunk = new byte[CHUNK];
                try (OutputStream out = exchange.getResponseBody()) {
                    long sent = 0;
                    while (sent < bytes) {
                        int n = (int) Math.min(CHUNK, bytes - sent);
                        out.write(chunk, 0, n);
                        sent += n;
                        if (sent == n) {
                            out.flush();
                            await(clientReceivedFirstChunk);
                        }
                    }
                } catch (IOException e) {
                    downloadBrokenOff.countDown();
                    throw e;
                }
            } else {
                long count = 0;
                byte[] buffer = new byte[CHUNK];
                try (InputStream in = exchange.getRequestBody()) {
                    int n;
                    while ((n = in.read(buffer)) >= 0) {
                        if (count == 0 && n > 0) {
                            firstUploadChunkArrived.countDown();
                        }
                        count += n;
                    }
                }
                Map<String, String> headers = new TreeMap<>();
                exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), String.join(", ", v)));
                StringBuilder json = new StringBuilder("{\"method\":\"").append(exchange.getRequestMethod())
                        .append("\",\"uri\":\"").append(escape(exchange.getRequestURI().getRawPath()
                                + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery())))
                        .append("\",\"bodyBytes\":").append(count).append(",\"headers\":{");
                boolean first = true;
                for (var h : headers.entrySet()) {
                    json.append(first ? "" : ",").append('"').append(escape(h.getKey())).append("\":\"").append(escape(h.getValue())).append('"');
                    first = false;
                }
                json.append("}}");
                exchange.getResponseHeaders().set("X-Upstream", "yes");
                exchange.getResponseHeaders().set("Connection", "X-Hop");
                exchange.getResponseHeaders().set("X-Hop", "must not reach the caller");
                respond(exchange, exchange.getRequestMethod().equals("HEAD") ? 200 : 200, json.toString());
            }
        }
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        if (exchange.getRequestMethod().equals("HEAD")) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    private static void await(CountDownLatch latch) throws IOException {
        try {
            if (!latch.await(20, TimeUnit.SECONDS)) {
                throw new IOException("the client never received the first chunk: the gateway is not streaming");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
