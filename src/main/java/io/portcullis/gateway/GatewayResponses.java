package io.portcullis.gateway;

import io.portcullis.resource.BearerError;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/** The gateway's own answers: JSON, never cached. */
final class GatewayResponses {
    private GatewayResponses() {
    }

    static void error(HttpServerResponse response, int status, String error, String description) {
        send(response, status, new JsonObject().put("error", error).put("error_description", description));
    }

    static void bearer(HttpServerResponse response, BearerError e, String resourceMetadata) {
        response.putHeader("WWW-Authenticate", e.challenge(resourceMetadata));
        send(response, e.status, new JsonObject(e.body()));
    }

    private static void send(HttpServerResponse response, int status, JsonObject body) {
        if (response.ended() || response.closed()) {
            return;
        }
        response.setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .putHeader("Cache-Control", "no-store")
                .end(body.encode());
    }
}
