package io.portcullis.admin;

import io.portcullis.config.PortcullisConfig;
import io.portcullis.registry.Api;
import io.portcullis.registry.Application;
import io.portcullis.registry.AuthMethod;
import io.portcullis.registry.ClientSecrets;
import io.portcullis.registry.Plan;
import io.portcullis.registry.RegistryException;
import io.portcullis.registry.RegistryService;
import io.portcullis.registry.ScopeMode;
import io.portcullis.registry.Subscription;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;

/**
 * Applies {@code portcullis.config-file} at start-up, in one transaction, idempotently: what the
 * file names is created or brought to what it says, what is already so is left alone (so the same
 * file twice changes nothing), and what the file does not name is kept. Any error stops the start
 * with a message naming the place in the file, and the transaction leaves the database as it was.
 */
@ApplicationScoped
public class ConfigFileApplier {
    private static final Logger LOG = Logger.getLogger(ConfigFileApplier.class);

    private final PortcullisConfig config;
    private final RegistryService registry;
    private final Function<String, String> environment;

    public ConfigFileApplier(PortcullisConfig config, RegistryService registry) {
        this.config = config;
        this.registry = registry;
        this.environment = System::getenv;
    }

    void onStart(@Observes @Priority(30) StartupEvent event) {
        try {
            config.configFile().ifPresent(this::apply);
        } catch (ConfigFile.ConfigFileException e) {
            // The start fails on this, and the console log is asynchronous: a process that ends now may
            // never write it. The operator must see which place of the file stopped the start.
            System.err.println("Portcullis did not start: the registry file cannot be applied: " + e.getMessage());
            System.err.flush();
            throw e;
        }
    }

    public void apply(Path file) {
        apply(file.toString());
    }

    /** Applies the file at a path or {@code classpath:} location; {@code ${…}} comes from the configuration. */
    public void apply(String file) {
        org.eclipse.microprofile.config.Config settings = org.eclipse.microprofile.config.ConfigProvider.getConfig();
        ConfigFile.Model model = ConfigFile.read(file, name -> settings.getOptionalValue(name, String.class));
        QuarkusTransaction.requiringNew().run(() -> {
            Api.getEntityManager().createNativeQuery(io.portcullis.ops.AdvisoryLocks.CONFIG_FILE.sql()).getSingleResult();
            applyModel(model, file);
        });
        LOG.infof("Applied %s", file);
    }

    private void applyModel(ConfigFile.Model model, String file) {
        each(file, "authMethods", model.authMethods(), m -> {
            AuthMethod current = AuthMethod.findById(m.id());
            boolean enabled = m.enabled() == null || m.enabled();
            if (current == null) {
                registry.createAuthMethod(m.id(), m.friendlyName(), enabled);
                current = AuthMethod.findById(m.id());
            }
            if (!Objects.equals(current.friendlyName, m.friendlyName() == null ? m.id() : m.friendlyName())
                    || !Objects.equals(current.description, m.description()) || current.enabled != enabled) {
                registry.updateAuthMethod(m.id(), m.friendlyName(), m.description(), enabled);
            }
        });
        each(file, "plans", model.plans(), p -> {
            Plan current = Plan.findById(p.id());
            boolean approval = Boolean.TRUE.equals(p.needsApproval());
            if (current == null) {
                registry.createPlan(p.id(), p.name(), approval, p.rateLimitPerMinute());
                current = Plan.findById(p.id());
            }
            if (!Objects.equals(current.name, p.name() == null ? p.id() : p.name()) || !Objects.equals(current.description, p.description())
                    || current.needsApproval != approval || !Objects.equals(current.rateLimitPerMinute, p.rateLimitPerMinute())) {
                registry.updatePlan(p.id(), p.name(), p.description(), approval, p.rateLimitPerMinute());
            }
        });
        each(file, "apis", model.apis(), a -> {
            if (Api.findById(a.id()) == null) {
                registry.createApi(a.spec());
            } else {
                // updateApi leaves equal values and collections untouched
                registry.updateApi(a.id(), a.spec());
            }
        });
        each(file, "applications", model.applications(), a -> {
            Application current = Application.findById(a.id());
            if (current == null) {
                registry.createApplication(a.id(), a.name(), a.clientType());
                current = Application.findById(a.id());
            }
            if (!Objects.equals(current.name, a.name() == null ? a.id() : a.name()) || !Objects.equals(current.description, a.description())
                    || (a.clientType() != null && current.clientType != a.clientType())) {
                registry.updateApplication(a.id(), a.name(), a.description(), a.clientType());
            }
        });
        each(file, "subscriptions", model.subscriptions(), s -> applySubscription(s));
    }

    private void applySubscription(ConfigFile.SubscriptionEntry s) {
        Subscription existing = Subscription.find("application.id = ?1 and api.id = ?2", s.application(), s.api()).firstResult();
        String hash = secretHash(s, existing);
        Subscription current = existing;
        ScopeMode mode = s.allowedScopesMode() == null ? ScopeMode.ALL : s.allowedScopesMode();
        List<String> scopes = s.allowedScopes() == null ? List.of() : s.allowedScopes();
        UUID id;
        if (current == null) {
            id = registry.subscribe(new RegistryService.SubscriptionSpec(s.application(), s.api(), s.plan(),
                    Boolean.TRUE.equals(s.trusted()), mode, scopes)).subscriptionId();
            current = Subscription.findById(id);
        } else {
            id = current.id;
            boolean sameScopes = current.allowedScopes.stream().map(r -> r.scopeId).collect(java.util.stream.Collectors.toSet())
                    .equals(new java.util.HashSet<>(scopes));
            if (!current.plan.id.equals(s.plan()) || current.trusted != Boolean.TRUE.equals(s.trusted())
                    || current.allowedScopesMode != mode || !sameScopes) {
                registry.updateSubscription(id, s.plan(), Boolean.TRUE.equals(s.trusted()), mode, scopes);
            }
        }
        if (!current.approved) {
            registry.approve(id);
        }
        if (s.clientId() != null && (!s.clientId().equals(current.clientId) || !Objects.equals(hash, current.clientSecretHash))) {
            registry.setCredentialHash(id, s.clientId(), hash);
        }
    }

    /**
     * The hash to store: the file's own, or a salted slow hash of the environment's secret; the one
     * already stored when it matches that secret, so that applying the same file again changes nothing.
     */
    private String secretHash(ConfigFile.SubscriptionEntry s, Subscription existing) {
        if (s.clientId() == null) {
            if (s.clientSecretHash() != null || s.clientSecretEnv() != null) {
                throw RegistryException.invalid("clientId", "credentials need a clientId");
            }
            return null;
        }
        if ((s.clientSecretHash() == null) == (s.clientSecretEnv() == null)) {
            throw RegistryException.invalid("clientSecretHash", "give exactly one of clientSecretHash and clientSecretEnv");
        }
        if (s.clientSecretHash() != null) {
            if (!ClientSecrets.isHash(s.clientSecretHash())) {
                throw RegistryException.invalid("clientSecretHash",
                        "clientSecretHash must be sha256$ and 43 base64url characters, or a pbkdf2-sha256$ hash");
            }
            return s.clientSecretHash();
        }
        String secret = environment.apply(s.clientSecretEnv());
        if (secret == null || secret.length() < 32) {
            throw RegistryException.invalid("clientSecretEnv", "environment variable " + s.clientSecretEnv()
                    + " must hold a secret of at least 32 characters");
        }
        if (existing != null && existing.clientSecretHash != null && ClientSecrets.matchesAtStartup(existing.clientSecretHash, secret)) {
            return existing.clientSecretHash;
        }
        return ClientSecrets.hashChosen(secret);
    }

    /** Applies each entry, naming its place in the file when the registry refuses it. */
    private static <T> void each(String file, String section, List<T> entries, java.util.function.Consumer<T> apply) {
        if (entries == null) {
            return;
        }
        for (int i = 0; i < entries.size(); i++) {
            T entry = entries.get(i);
            String place = file + ": " + section + "[" + i + "]";
            if (entry == null) {
                throw new ConfigFile.ConfigFileException(place + ": an empty entry");
            }
            try {
                apply.accept(entry);
            } catch (RegistryException e) {
                throw new ConfigFile.ConfigFileException(place + (e.field == null ? "" : "." + e.field) + ": " + e.getMessage());
            }
        }
    }

}
