package io.portcullis.dev;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;

import java.util.TreeMap;

/**
 * The dev-mode demo's separate upstream server: an unprotected HTTP echo of what it receives,
 * so that the headers the gateway adds (X-Consumer-*, X-Forwarded-*) can be seen.
 */
final class DemoUpstream {
    private DemoUpstream() {
    }

    static HttpServer start(Vertx vertx, int port) {
        HttpServer server = vertx.createHttpServer();
        server.requestHandler(request -> request.body().onSuccess(body -> {
            TreeMap<String, String> headers = new TreeMap<>();
            request.headers().forEach(h -> headers.merge(h.getKey().toLowerCase(), h.getValue(), (a, b) -> a + ", " + b));
            JsonObject answer = new JsonObject()
                    .put("upstream", "whoami")
                    .put("method", request.method().name())
                    .put("uri", request.uri())
                    .put("headers", new JsonObject(new java.util.LinkedHashMap<>(headers)))
                    .put("bodyBytes", body.length());
            request.response().putHeader("Content-Type", "application/json").end(answer.encodePrettily());
        }));
        server.listen(port, "127.0.0.1").toCompletionStage().toCompletableFuture().join();
        return server;
    }
}
