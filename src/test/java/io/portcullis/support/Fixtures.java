package io.portcullis.support;

import io.portcullis.registry.ClientType;
import io.portcullis.registry.RegistryService;
import io.portcullis.registry.RegistryService.ApiSpec;
import io.portcullis.registry.RegistryService.Credentials;
import io.portcullis.registry.RegistryService.RouteSpec;
import io.portcullis.registry.RegistryService.ScopeSpec;
import io.portcullis.registry.RegistryService.SubscriptionSpec;
import io.portcullis.registry.ScopeMode;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Registry fixtures made through the real {@link RegistryService}, each with fresh ids so that
 * test classes sharing one database never see each other's data.
 */
@ApplicationScoped
public class Fixtures {
    public static final String AUTH_METHOD = "test-default";
    public static final String PLAN = "test-basic";
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private final RegistryService registry;

    public Fixtures(RegistryService registry) {
        this.registry = registry;
    }

    public static String uniqueId(String prefix) {
        return prefix + "-" + Long.toString(System.nanoTime() % 1_000_000_000L, 36) + SEQUENCE.incrementAndGet();
    }

    /** The shared auth method and plan, made once per database. */
    public synchronized void ensureBasics() {
        boolean present = QuarkusTransaction.requiringNew().call(
                () -> io.portcullis.registry.AuthMethod.findById(AUTH_METHOD) != null);
        if (!present) {
            registry.createAuthMethod(AUTH_METHOD, "Test", true);
            registry.createPlan(PLAN, "Test basic", false, null);
            registry.createPlan(PLAN + "-approval", "Needs approval", true, null);
        }
    }

    /** An API accepting {@link #AUTH_METHOD} with the given scopes. */
    public String api(String... scopes) {
        return api(true, scopes);
    }

    public String api(boolean clientCredentialsEnabled, String... scopes) {
        ensureBasics();
        String id = uniqueId("api");
        registry.createApi(new ApiSpec(id, "API " + id, null, "/" + id, "http://127.0.0.1:9/" + id, 600,
                clientCredentialsEnabled, null, null, List.of(AUTH_METHOD),
                Arrays.stream(scopes).map(s -> new ScopeSpec(s, "Scope " + s)).toList(),
                List.<RouteSpec>of(), List.of(PLAN, PLAN + "-approval"), null));
        return id;
    }

    public Credentials subscribe(String apiId) {
        return subscribe(apiId, ScopeMode.ALL, List.of(), false);
    }

    public Credentials subscribe(String apiId, ScopeMode mode, List<String> allowed, boolean trusted) {
        return subscribe(apiId, mode, allowed, trusted, ClientType.CONFIDENTIAL, PLAN);
    }

    public Credentials subscribe(String apiId, ScopeMode mode, List<String> allowed, boolean trusted, ClientType type, String plan) {
        ensureBasics();
        String app = uniqueId("app");
        registry.createApplication(app, "App " + app, type);
        return registry.subscribe(new SubscriptionSpec(app, apiId, plan, trusted, mode, allowed));
    }

    public RegistryService registry() {
        return registry;
    }

    public static String tokenPath(String apiId) {
        return "/auth/" + AUTH_METHOD + "/api/" + apiId + "/token";
    }
}
