package io.portcullis.support;

import io.portcullis.registry.ApiService;
import io.portcullis.registry.ApplicationDefinition;
import io.portcullis.registry.ApplicationService;
import io.portcullis.registry.AuthMethodDefinition;
import io.portcullis.registry.AuthMethodService;
import io.portcullis.registry.PlanDefinition;
import io.portcullis.registry.PlanService;
import io.portcullis.registry.SubscriptionDefinition;
import io.portcullis.registry.SubscriptionService;
import io.portcullis.registry.ClientType;
import io.portcullis.registry.ApiDefinition;
import io.portcullis.registry.IssuedCredentials;
import io.portcullis.registry.ScopeMode;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Registry fixtures made through the real services of each aggregate, each with fresh ids so that
 * test classes sharing one database never see each other's data.
 */
@ApplicationScoped
public class Fixtures {
    public static final String AUTH_METHOD = "test-default";
    public static final String PLAN = "test-basic";
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private final AuthMethodService authMethods;
    private final PlanService plans;
    private final ApiService apis;
    private final ApplicationService applications;
    private final SubscriptionService subscriptions;

    public Fixtures(AuthMethodService authMethods, PlanService plans, ApiService apis, ApplicationService applications,
                    SubscriptionService subscriptions) {
        this.authMethods = authMethods;
        this.plans = plans;
        this.apis = apis;
        this.applications = applications;
        this.subscriptions = subscriptions;
    }

    public static String uniqueId(String prefix) {
        return prefix + "-" + Long.toString(System.nanoTime() % 1_000_000_000L, 36) + SEQUENCE.incrementAndGet();
    }

    /** The shared auth method and plan, made once per database. */
    public synchronized void ensureBasics() {
        boolean present = QuarkusTransaction.requiringNew().call(
                () -> io.portcullis.registry.AuthMethod.findById(AUTH_METHOD) != null);
        if (!present) {
            authMethods.create(new AuthMethodDefinition(AUTH_METHOD, "Test", null, true));
            plans.create(new PlanDefinition(PLAN, "Test basic", null, false, null, null));
            plans.create(new PlanDefinition(PLAN + "-approval", "Needs approval", null, true, null, null));
        }
    }

    /** An API accepting {@link #AUTH_METHOD} with the given scopes. */
    public String api(String... scopes) {
        return api(true, scopes);
    }

    public String api(boolean clientCredentialsEnabled, String... scopes) {
        ensureBasics();
        String id = uniqueId("api");
        apis.create(ApiDefinition.builder(id).name("API " + id).requestPath("/" + id).upstreamUrl("http://127.0.0.1:9/" + id)
                .tokenLifetimeSeconds(600).clientCredentialsEnabled(clientCredentialsEnabled).authMethods(AUTH_METHOD)
                .scopeIds(scopes).plans(PLAN, PLAN + "-approval").build());
        return id;
    }

    public IssuedCredentials subscribe(String apiId) {
        return subscribe(apiId, ScopeMode.ALL, List.of(), false);
    }

    public IssuedCredentials subscribe(String apiId, ScopeMode mode, List<String> allowed, boolean trusted) {
        return subscribe(apiId, mode, allowed, trusted, ClientType.CONFIDENTIAL, PLAN);
    }

    public IssuedCredentials subscribe(String apiId, ScopeMode mode, List<String> allowed, boolean trusted, ClientType type, String plan) {
        ensureBasics();
        String app = uniqueId("app");
        applications.create(new ApplicationDefinition(app, "App " + app, null, type));
        return subscriptions.subscribe(new SubscriptionDefinition(app, apiId, plan, trusted, mode, allowed));
    }

    public AuthMethodService authMethods() {
        return authMethods;
    }

    public ApiService apis() {
        return apis;
    }

    public SubscriptionService subscriptions() {
        return subscriptions;
    }

    public static String tokenPath(String apiId) {
        return "/auth/" + AUTH_METHOD + "/api/" + apiId + "/token";
    }
}
