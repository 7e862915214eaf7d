package io.portcullis.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Requests RestAssured will not send as they are: raw bytes, odd headers. */
public final class RawHttp {
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    private RawHttp() {
    }

    public static HttpResponse<String> post(String path, String contentType, byte[] body) {
        try {
            return CLIENT.send(HttpRequest.newBuilder(URI.create("http://localhost:8081" + path))
                    .header("Content-Type", contentType)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
