package io.portcullis.admin;

import io.portcullis.config.PortcullisConfig;
import io.portcullis.registry.Api;
import io.portcullis.registry.Application;
import io.portcullis.registry.AuthMethod;
import io.portcullis.registry.ClientSecrets;
import io.portcullis.registry.ClientType;
import io.portcullis.registry.Plan;
import io.portcullis.registry.Registry;
import io.portcullis.registry.RegistryService;
import io.portcullis.registry.ScopeMode;
import io.portcullis.registry.Subscription;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.List;
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
    private final RegistryService registry;
    private final Registry cache;

    public AdminBootstrap(PortcullisConfig config, RegistryService registry, Registry cache) {
        this.config = config;
        this.registry = registry;
        this.cache = cache;
    }

    void onStart(@Observes @Priority(20) StartupEvent event) {
        QuarkusTransaction.requiringNew().run(this::ensure);
    }

    void ensure() {
        Api.getEntityManager().createNativeQuery(io.portcullis.ops.AdvisoryLocks.ADMIN_BOOTSTRAP.sql()).getSingleResult();
        if (AuthMethod.findById(AUTH_METHOD) == null) {
            registry.createAuthMethod(AUTH_METHOD, "Client credentials", true);
        }
        if (Plan.findById(PLAN) == null) {
            registry.createPlan(PLAN, "Administration", false, null);
        }
        if (Api.findById(RegistryService.BUILTIN_ADMIN_API) == null) {
            registry.createApi(new RegistryService.ApiSpec(RegistryService.BUILTIN_ADMIN_API, "Portcullis administration",
                    "The admin REST API under /admin/v1.", "/admin", config.baseUrl() + "/admin/v1", 900, true, true, false,
                    List.of(AUTH_METHOD), List.of(new RegistryService.ScopeSpec(SCOPE, "Manage the registry")), List.of(),
                    List.of(PLAN), null));
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
            registry.createApplication(APPLICATION, "Portcullis administrator", ClientType.CONFIDENTIAL);
        }
        Subscription sub = Subscription.find("application.id = ?1 and api.id = ?2", APPLICATION, RegistryService.BUILTIN_ADMIN_API)
                .firstResult();
        UUID id = sub == null
                ? registry.subscribe(new RegistryService.SubscriptionSpec(APPLICATION, RegistryService.BUILTIN_ADMIN_API, PLAN, true,
                ScopeMode.ALL, List.of())).subscriptionId()
                : sub.id;
        Subscription current = Subscription.findById(id);
        if (!clientId.equals(current.clientId) || !ClientSecrets.matchesAtStartup(current.clientSecretHash, secret)) {
            registry.setCredentials(id, clientId, secret);
            LOG.infof("Admin client %s configured", clientId);
        }
    }
}
