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

    private final PortcullisConfig config;
    private final RegistryService registry;

    public DemoSeeder(PortcullisConfig config, RegistryService registry) {
        this.config = config;
        this.registry = registry;
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
                    "/echo", config.baseUrl() + "/echo", null, null, null, null,
                    List.of(AUTH_METHOD),
                    List.of(new ScopeSpec("read", "Read access"), new ScopeSpec("write", "Write access")),
                    List.of(new RouteSpec("/", List.of("GET", "HEAD"), List.of("read")),
                            new RouteSpec("/", List.of("POST", "PUT", "PATCH", "DELETE"), List.of("write"))),
                    List.of(PLAN)));
        }
        if (!exists(() -> Application.findById(APPLICATION))) {
            registry.createApplication(APPLICATION, "Demo application", ClientType.CONFIDENTIAL);
        }
        String clientId = config.demo().clientId();
        String secret = config.demo().clientSecret().orElse(null);
        boolean subscribed = QuarkusTransaction.requiringNew().call(
                () -> Subscription.count("application.id = ?1 and api.id = ?2", APPLICATION, EchoResource.API_ID) > 0);
        if (!subscribed) {
            var credentials = registry.subscribe(new SubscriptionSpec(APPLICATION, EchoResource.API_ID, PLAN, false, ScopeMode.ALL, List.of()));
            if (secret != null) {
                registry.setCredentials(credentials.subscriptionId(), clientId, secret);
            } else {
                clientId = credentials.clientId();
                secret = credentials.clientSecret();
            }
        }
        if (secret == null) {
            return;
        }
        String base = config.baseUrl();
        // dev mode only: the demo's credentials are meant to be copied from the console
        System.out.println("""

                ================================ Portcullis demo ================================
                 auth method: %1$s   API: echo (scopes read, write)   application: %2$s
                 client id:     %3$s
                 client secret: %4$s

                 Get a token:
                   curl -X POST -d 'grant_type=client_credentials&client_id=%3$s&client_secret=%4$s&scope=read' %5$s/auth/%1$s/api/echo/token

                 Call the API with it:
                   TOKEN=$(curl -s -X POST -d 'grant_type=client_credentials&client_id=%3$s&client_secret=%4$s&scope=read' %5$s/auth/%1$s/api/echo/token | sed -E 's/.*"access_token":"([^"]+)".*/\\1/')
                   curl -H "Authorization: Bearer $TOKEN" %5$s/echo
                =================================================================================
                """.formatted(AUTH_METHOD, APPLICATION, clientId, secret, base));
    }

    private static boolean exists(java.util.concurrent.Callable<Object> find) {
        return QuarkusTransaction.requiringNew().call(find) != null;
    }
}
