package io.portcullis.admin;

import io.portcullis.config.PortcullisConfig;
import io.portcullis.ops.AdvisoryLocks;
import io.portcullis.registry.Api;
import io.portcullis.registry.ApiDefinition;
import io.portcullis.registry.ApiService;
import io.portcullis.registry.Application;
import io.portcullis.registry.ApplicationDefinition;
import io.portcullis.registry.ApplicationService;
import io.portcullis.registry.AuthMethod;
import io.portcullis.registry.AuthMethodDefinition;
import io.portcullis.registry.AuthMethodService;
import io.portcullis.registry.ClientSecrets;
import io.portcullis.registry.ClientType;
import io.portcullis.registry.CredentialService;
import io.portcullis.registry.Plan;
import io.portcullis.registry.PlanDefinition;
import io.portcullis.registry.PlanService;
import io.portcullis.registry.ScopeMode;
import io.portcullis.registry.Subscription;
import io.portcullis.registry.SubscriptionDefinition;
import io.portcullis.registry.SubscriptionService;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.List;

import static io.portcullis.registry.RegistryRules.BUILTIN_ADMIN_API;
import java.util.UUID;

/**
 * The admin API is protected by Portcullis itself (docs/contract.md#management): a built-in API {@code admin}
 * with scope {@code admin}, reached through auth method {@code default}. The first admin client's
 * id and secret come only from configuration; its stored hash follows the configured secret at
 * every start, so rotating it is a change of configuration and a restart.
 */
@ApplicationScoped
public class AdminBootstrap {
    public static final String AUTH_METHOD = "default";
    public static final String PLAN = "admin";
    public static final String SCOPE = "admin";
    public static final String APPLICATION = "portcullis-admin";
    private static final Logger LOG = Logger.getLogger(AdminBootstrap.class);

    private final PortcullisConfig config;
    private final AuthMethodService authMethods;
    private final PlanService plans;
    private final ApiService apis;
    private final ApplicationService applications;
    private final SubscriptionService subscriptions;
    private final CredentialService credentials;

    public AdminBootstrap(PortcullisConfig config, AuthMethodService authMethods, PlanService plans, ApiService apis,
                          ApplicationService applications, SubscriptionService subscriptions, CredentialService credentials) {
        this.config = config;
        this.authMethods = authMethods;
        this.plans = plans;
        this.apis = apis;
        this.applications = applications;
        this.subscriptions = subscriptions;
        this.credentials = credentials;
    }

    void onStart(@Observes @Priority(20) StartupEvent event) {
        QuarkusTransaction.requiringNew().run(this::ensure);
    }

    /** Creates what is missing; what an operator changed since (a description, a plan's limit) is kept. */
    void ensure() {
        AdvisoryLocks.ADMIN_BOOTSTRAP.acquire();
        if (AuthMethod.findById(AUTH_METHOD) == null) {
            authMethods.create(new AuthMethodDefinition(AUTH_METHOD, "Client credentials", null, true));
        }
        if (Plan.findById(PLAN) == null) {
            plans.create(new PlanDefinition(PLAN, "Administration", null, false, null, null));
        }
        if (Api.findById(BUILTIN_ADMIN_API) == null) {
            apis.create(ApiDefinition.builder(BUILTIN_ADMIN_API).name("Portcullis administration")
                    .description("The admin REST API under /admin/v1.").requestPath("/admin").upstreamUrl(config.baseUrl() + "/admin/v1")
                    .tokenLifetimeSeconds(900).clientCredentialsEnabled(true).hideCredentials(true).deprecated(false)
                    .authMethods(AUTH_METHOD).scopes(List.of(new ApiDefinition.Scope(SCOPE, "Manage the registry"))).routes(List.of())
                    .plans(PLAN).build());
        }
        String clientId = config.admin().clientId().orElse(null);
        String secret = config.admin().clientSecret().orElse(null);
        if (clientId == null || secret == null) {
            LOG.info("No portcullis.admin.client-id/client-secret configured: no admin client is bootstrapped");
            return;
        }
        if (secret.length() < 32) {
            throw new IllegalStateException("portcullis.admin.client-secret must be at least 32 characters");
        }
        if (Application.findById(APPLICATION) == null) {
            applications.create(new ApplicationDefinition(APPLICATION, "Portcullis administrator", null, ClientType.CONFIDENTIAL));
        }
        Subscription sub = Subscription.find("application.id = ?1 and api.id = ?2", APPLICATION, BUILTIN_ADMIN_API).firstResult();
        UUID id = sub == null
                ? subscriptions.subscribe(new SubscriptionDefinition(APPLICATION, BUILTIN_ADMIN_API, PLAN, true, ScopeMode.ALL, List.of()))
                .subscriptionId()
                : sub.id;
        Subscription current = Subscription.findById(id);
        if (!clientId.equals(current.clientId) || !ClientSecrets.matchesAtStartup(current.clientSecretHash, secret)) {
            credentials.setConfiguredSecret(id, clientId, secret);
            LOG.infof("Admin client %s configured", clientId);
        }
    }
}
