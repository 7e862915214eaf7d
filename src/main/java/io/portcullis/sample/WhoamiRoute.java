package io.portcullis.sample;

import io.quarkus.arc.profile.IfBuildProfile;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.TreeMap;

/**
 * The demo's {@code whoami} upstream: an unprotected echo of the request it receives, so that what
 * the gateway sends upstream (X-Consumer-*, X-Forwarded-*, no Authorization for an API that hides
 * credentials) can be seen. It trusts nothing and checks nothing: it is only ever reached through
 * the gateway in the demo. Dev mode and tests only.
 */
@ApplicationScoped
@IfBuildProfile(anyOf = {"dev", "test"})
public class WhoamiRoute {
    public static final String PATH = "/sample/whoami";

    void register(@Observes Router router) {
        router.route(PATH).handler(this::answer);
        router.route(PATH + "/*").handler(this::answer);
    }

    private void answer(RoutingContext ctx) {
        ctx.request().body().onSuccess(body -> {
            TreeMap<String, String> headers = new TreeMap<>();
            ctx.request().headers().forEach(h -> headers.merge(h.getKey().toLowerCase(Locale.ROOT), h.getValue(), (a, b) -> a + ", " + b));
            String uri = ctx.request().uri().substring(PATH.length());
            JsonObject answer = new JsonObject()
                    .put("upstream", "whoami")
                    .put("method", ctx.request().method().name())
                    .put("uri", uri.isEmpty() || uri.charAt(0) != '/' ? "/" + uri : uri)
                    .put("headers", new JsonObject(new LinkedHashMap<>(headers)))
                    .put("bodyBytes", body.length());
            ctx.response().putHeader("Content-Type", "application/json").end(answer.encodePrettily());
        }).onFailure(ctx::fail);
        // Quarkus hands routes a paused request
        ctx.request().resume();
    }
}
