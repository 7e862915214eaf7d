package io.portcullis.admin;

import io.portcullis.config.PortcullisConfig;
import io.portcullis.ops.AdvisoryLocks;
import io.portcullis.registry.ApiService;
import io.portcullis.registry.ApplicationService;
import io.portcullis.registry.AuthMethodService;
import io.portcullis.registry.ClientSecrets;
import io.portcullis.registry.CredentialService;
import io.portcullis.registry.PlanService;
import io.portcullis.registry.RegistryException;
import io.portcullis.registry.Subscription;
import io.portcullis.registry.SubscriptionService;
import io.portcullis.registry.TrustedIssuerService;
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
    private final AuthMethodService authMethods;
    private final PlanService plans;
    private final ApiService apis;
    private final ApplicationService applications;
    private final SubscriptionService subscriptions;
    private final CredentialService credentials;
    private final TrustedIssuerService trustedIssuers;
    private final Function<String, String> environment = System::getenv;

    public ConfigFileApplier(PortcullisConfig config, AuthMethodService authMethods, PlanService plans, ApiService apis,
                             ApplicationService applications, SubscriptionService subscriptions, CredentialService credentials,
                             TrustedIssuerService trustedIssuers) {
        this.config = config;
        this.authMethods = authMethods;
        this.plans = plans;
        this.apis = apis;
        this.applications = applications;
        this.subscriptions = subscriptions;
        this.credentials = credentials;
        this.trustedIssuers = trustedIssuers;
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
            AdvisoryLocks.CONFIG_FILE.acquire();
            applyModel(model, file);
        });
        LOG.infof("Applied %s", file);
    }

    private void applyModel(ConfigFile.Model model, String file) {
        each(file, "authMethods", model.authMethods(), authMethods::apply);
        each(file, "plans", model.plans(), plans::apply);
        each(file, "apis", model.apis(), apis::apply);
        each(file, "applications", model.applications(), applications::apply);
        each(file, "trustedIssuers", model.trustedIssuers(), trustedIssuers::apply);
        each(file, "subscriptions", model.subscriptions(), this::applySubscription);
    }

    /** The subscription as the file says, approved; then its credentials, when the file gives them. */
    private void applySubscription(ConfigFile.SubscriptionEntry s) {
        Subscription existing = Subscription.find("application.id = ?1 and api.id = ?2", s.application(), s.api()).firstResult();
        String hash = secretHash(s, existing);
        UUID id = subscriptions.applyApproved(s.definition());
        Subscription current = Subscription.findById(id);
        if (s.clientId() != null && (!s.clientId().equals(current.clientId) || !Objects.equals(hash, current.clientSecretHash))) {
            credentials.setSecretHash(id, s.clientId(), hash);
        }
        if (s.federatedIdentities() != null) {
            credentials.setFederatedIdentities(id, s.federatedIdentities());
        }
        if (s.tlsClientAuth() != null && !s.tlsClientAuth().equals(io.portcullis.registry.TlsClientAuthDefinition.of(current))) {
            credentials.setTlsClientAuth(id, s.tlsClientAuth());
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
