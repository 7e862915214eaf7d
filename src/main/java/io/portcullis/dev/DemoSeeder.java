package io.portcullis.dev;

import io.portcullis.config.PortcullisConfig;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The dev-mode demo (portcullis.demo.enabled). Its registry is the declarative file
 * config/portcullis-demo.yaml (auth method default; APIs echo and whoami; application demo-app,
 * subscribed to both); this starts the separate upstream server of whoami and prints the demo's
 * credentials and the curl lines that use them.
 */
@ApplicationScoped
public class DemoSeeder {
    public static final String AUTH_METHOD = "default";
    public static final String APPLICATION = "demo-app";

    private final PortcullisConfig config;
    private final Vertx vertx;
    private HttpServer upstream;

    public DemoSeeder(PortcullisConfig config, Vertx vertx) {
        this.config = config;
        this.vertx = vertx;
    }

    void onStart(@Observes @Priority(100) StartupEvent event) {
        if (!config.demo().enabled()) {
            return;
        }
        if (LaunchMode.current() == LaunchMode.NORMAL) {
            // the demo prints a secret to the console, which in production is a log
            throw new IllegalStateException("portcullis.demo.enabled is for dev mode only");
        }
        upstream = DemoUpstream.start(vertx, config.demo().upstreamPort());
        String secret = config.demo().clientSecret().orElse("(the secret whose hash is in the demo file)");
        String echoClient = config.demo().clientId();
        String whoamiClient = echoClient.replace("echo", "whoami");
        String base = config.baseUrl();
        // dev mode only: the demo's credentials are meant to be copied from the console
        System.out.println("""

                ================================ Portcullis demo ================================
                 auth method: %1$s   application: %2$s   secret of both subscriptions: %4$s
                 API echo   (scopes read, write) client id %3$s, at %5$s/echo
                 API whoami (scope read)         client id %6$s, at %5$s/whoami (upstream: a separate server)
                 API pages: %5$s/portal

                 Get a token:
                   curl -X POST -d 'grant_type=client_credentials&client_id=%3$s&client_secret=%4$s&scope=read' %5$s/auth/%1$s/api/echo/token

                 Call the API through the gateway with it:
                   TOKEN=$(curl -s -X POST -d 'grant_type=client_credentials&client_id=%3$s&client_secret=%4$s&scope=read' %5$s/auth/%1$s/api/echo/token | sed -E 's/.*"access_token":"([^"]+)".*/\\1/')
                   curl -H "Authorization: Bearer $TOKEN" %5$s/echo
                =================================================================================
                """.formatted(AUTH_METHOD, APPLICATION, echoClient, secret, base, whoamiClient));
    }

    void onStop(@Observes ShutdownEvent event) {
        if (upstream != null) {
            upstream.close().toCompletionStage().toCompletableFuture().join();
        }
    }
}
