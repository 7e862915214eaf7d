package io.portcullis.dev;

import io.portcullis.config.PortcullisConfig;
import io.portcullis.echo.EchoResource;
import io.portcullis.registry.Api;
import io.portcullis.registry.AuthMethod;
import io.portcullis.registry.Application;
import io.portcullis.registry.ClientType;
import io.portcullis.registry.Plan;
import io.portcullis.registry.RegistryService;
import io.portcullis.registry.RegistryService.ApiSpec;
import io.portcullis.registry.RegistryService.RouteSpec;
import io.portcullis.registry.RegistryService.ScopeSpec;
import io.portcullis.registry.RegistryService.SubscriptionSpec;
import io.portcullis.registry.ScopeMode;
import io.portcullis.registry.Subscription;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.List;

/**
 * The dev-mode demo (portcullis.demo.enabled): auth method {@code default}, API {@code echo}
 * with scopes read and write, a confidential application subscribed to it, and the two curl
 * lines that use them. Idempotent, so that a restart against the same database changes nothing.
 */
@ApplicationScoped
public class DemoSeeder {
    public static final String AUTH_METHOD = "default";
    public static final String PLAN = "basic";
    public static final String APPLICATION = "demo-app";
    public static final String WHOAMI = "whoami";

    private final PortcullisConfig config;
    private final RegistryService registry;
    private final io.vertx.core.Vertx vertx;
    private io.vertx.core.http.HttpServer upstream;

    public DemoSeeder(PortcullisConfig config, RegistryService registry, io.vertx.core.Vertx vertx) {
        this.config = config;
        this.registry = registry;
        this.vertx = vertx;
    }

    void onStop(@Observes io.quarkus.runtime.ShutdownEvent event) {
        if (upstream != null) {
            upstream.close().toCompletionStage().toCompletableFuture().join();
        }
    }

    /** The demo application's subscription to an API, with the demo's credentials. */
    private String subscribe(String apiId, String clientId, String secret) {
        boolean subscribed = QuarkusTransaction.requiringNew().call(
                () -> Subscription.count("application.id = ?1 and api.id = ?2", APPLICATION, apiId) > 0);
        if (subscribed) {
            return clientId;
        }
        var credentials = registry.subscribe(new SubscriptionSpec(APPLICATION, apiId, PLAN, false, ScopeMode.ALL, List.of()));
        registry.setCredentials(credentials.subscriptionId(), clientId, secret);
        return clientId;
    }

    void onStart(@Observes @Priority(100) StartupEvent event) {
        if (!config.demo().enabled()) {
            return;
        }
        if (io.quarkus.runtime.LaunchMode.current() == io.quarkus.runtime.LaunchMode.NORMAL) {
            // the demo prints a secret to the console, which in production is a log
            throw new IllegalStateException("portcullis.demo.enabled is for dev mode only");
        }
        if (!exists(() -> AuthMethod.findById(AUTH_METHOD))) {
            registry.createAuthMethod(AUTH_METHOD, "Client credentials", true);
        }
        if (!exists(() -> Plan.findById(PLAN))) {
            registry.createPlan(PLAN, "Basic", false, null);
        }
        if (!exists(() -> Api.findById(EchoResource.API_ID))) {
            registry.createApi(new ApiSpec(EchoResource.API_ID, "Echo",
                    "Answers with who called it and what they sent. GET needs scope read; other methods need write.",
                    "/echo", config.baseUrl() + EchoResource.PATH, null, null, null, null,
                    List.of(AUTH_METHOD),
                    List.of(new ScopeSpec("read", "Read access"), new ScopeSpec("write", "Write access")),
                    List.of(new RouteSpec("/", List.of("GET", "HEAD"), List.of("read")),
                            new RouteSpec("/", List.of("POST", "PUT", "PATCH", "DELETE"), List.of("write"))),
                    List.of(PLAN), null));
        }
        if (!exists(() -> Api.findById(WHOAMI))) {
            registry.createApi(new ApiSpec(WHOAMI, "Who am I",
                    "A separate HTTP server behind the gateway; it shows the headers the gateway sends upstream.",
                    "/whoami", "http://127.0.0.1:" + config.demo().upstreamPort(), null, null, true, null,
                    List.of(AUTH_METHOD), List.of(new ScopeSpec("read", "Read access")), List.of(), List.of(PLAN), 10));
        }
        if (!exists(() -> Application.findById(APPLICATION))) {
            registry.createApplication(APPLICATION, "Demo application", ClientType.CONFIDENTIAL);
        }
        // without a configured secret, a new one is made and shown; a subscription that already exists keeps its own
        String secret = config.demo().clientSecret().orElseGet(io.portcullis.registry.ClientSecrets::newSecret);
        String echoClient = subscribe(EchoResource.API_ID, config.demo().clientId(), secret);
        String whoamiClient = subscribe(WHOAMI, config.demo().clientId().replace("echo", WHOAMI), secret);
        upstream = DemoUpstream.start(vertx, config.demo().upstreamPort());
        String base = config.baseUrl();
        // dev mode only: the demo's credentials are meant to be copied from the console
        System.out.println("""

                ================================ Portcullis demo ================================
                 auth method: %1$s   application: %2$s   secret of both subscriptions: %4$s
                 API echo   (scopes read, write) client id %3$s, at %5$s/echo
                 API whoami (scope read)         client id %6$s, at %5$s/whoami (upstream: a separate server)

                 Get a token:
                   curl -X POST -d 'grant_type=client_credentials&client_id=%3$s&client_secret=%4$s&scope=read' %5$s/auth/%1$s/api/echo/token

                 Call the API through the gateway with it:
                   TOKEN=$(curl -s -X POST -d 'grant_type=client_credentials&client_id=%3$s&client_secret=%4$s&scope=read' %5$s/auth/%1$s/api/echo/token | sed -E 's/.*"access_token":"([^"]+)".*/\\1/')
                   curl -H "Authorization: Bearer $TOKEN" %5$s/echo
                =================================================================================
                """.formatted(AUTH_METHOD, APPLICATION, echoClient, secret, base, whoamiClient));
    }

    private static boolean exists(java.util.concurrent.Callable<Object> find) {
        return QuarkusTransaction.requiringNew().call(find) != null;
    }
}
