package io.portcullis.registry;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.portcullis.config.PortcullisConfig;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import org.jboss.logging.Logger;

import java.util.Optional;

/**
 * The registry as the hot paths see it: nothing here touches the database on a warm request.
 *
 * <ul>
 *   <li>Auth methods and APIs are one immutable {@link RegistrySnapshot}, swapped whole.</li>
 *   <li>Subscriptions are cached by client id as they are asked for, misses included (a flood of
 *       unknown client ids must not become a flood of queries).</li>
 * </ul>
 *
 * Every registry write bumps {@code registry_version} (a trigger, whoever writes); each replica
 * polls it every {@code portcullis.registry.poll-interval} and reloads when it moves. A change made
 * through this instance is applied as soon as its transaction commits. When the database cannot be
 * read, the last snapshot and cached clients keep serving.
 */
@ApplicationScoped
public class Registry {
    private static final Logger LOG = Logger.getLogger(Registry.class);
    static final long UNKNOWN_CLIENTS_MAX = 50_000;
    private static final Object RELOAD_REGISTERED = new Object();

    private final RegistryReader reader;
    private final PortcullisConfig config;
    private final TransactionSynchronizationRegistry transactions;
    /** Subscriptions by client id: only ones that exist, so that a flood of made-up ids evicts none of them. */
    private final Cache<String, RegisteredClient> clients;
    /**
     * Client ids the database does not know, remembered in a bounded cache of their own, so that
     * each costs one read however often it is tried (docs/contract.md#token-endpoint). Ids are at most
     * 64 characters (ClientAuthenticator checks their form first), so the bound is a few MiB.
     */
    private final Cache<String, Boolean> unknownClients;
    /** (API, trusted issuer, subject) to the client id of the subscription, or "" for none. */
    private final Cache<String, String> federatedClients;
    private final io.micrometer.core.instrument.Counter clientLoads;
    private volatile RegistrySnapshot snapshot = RegistrySnapshot.EMPTY;
    private volatile long version = -1;
    /** Bumped before every reload, so that a client load that overlaps one is not cached. */
    private volatile long generation;
    private volatile boolean pollFailing;

    public Registry(RegistryReader reader, PortcullisConfig config, TransactionSynchronizationRegistry transactions,
                    io.micrometer.core.instrument.MeterRegistry meters) {
        this.reader = reader;
        this.config = config;
        this.transactions = transactions;
        // Caffeine's upkeep on the reading thread, not handed to ForkJoinPool.commonPool (see AccessTokenVerifier)
        this.clients = Caffeine.newBuilder()
                .executor(Runnable::run)
                // expired entries swept on the JDK's timer thread, not by the first read after a quiet spell
                .scheduler(com.github.benmanes.caffeine.cache.Scheduler.systemScheduler())
                .expireAfterWrite(config.registry().cacheTtl())
                .maximumSize(config.registry().cacheMaxEntries())
                .recordStats()
                .build();
        this.federatedClients = Caffeine.newBuilder()
                .executor(Runnable::run)
                .scheduler(com.github.benmanes.caffeine.cache.Scheduler.systemScheduler())
                .expireAfterWrite(config.registry().cacheTtl())
                .maximumSize(config.registry().cacheMaxEntries())
                .build();
        this.unknownClients = Caffeine.newBuilder()
                .executor(Runnable::run)
                .scheduler(com.github.benmanes.caffeine.cache.Scheduler.systemScheduler())
                .expireAfterWrite(config.registry().cacheTtl())
                .maximumSize(UNKNOWN_CLIENTS_MAX)
                .recordStats()
                .build();
        io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics.monitor(meters, clients, "registry-clients");
        io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics.monitor(meters, unknownClients, "registry-unknown-clients");
        this.clientLoads = meters.counter("portcullis.registry.client.loads");
    }

    void onStart(@Observes @Priority(10) StartupEvent event) {
        if (config.registry().pollInterval().compareTo(java.time.Duration.ofSeconds(1)) < 0) {
            // Quarkus's scheduler checks its triggers once a second: a shorter interval would not be kept
            throw new IllegalStateException("portcullis.registry.poll-interval must be at least 1s");
        }
        reload();
    }

    public Optional<AuthMethodView> authMethod(String id) {
        return Optional.ofNullable(snapshot.authMethods().get(id));
    }

    public Optional<PlanView> plan(String id) {
        return Optional.ofNullable(snapshot.plans().get(id));
    }

    /** Without loading: the gateway runs on the event loop and must not wait for the database. */
    public Optional<RegisteredClient> cachedClient(String clientId) {
        RegisteredClient cached = clients.getIfPresent(clientId);
        if (cached != null) {
            return Optional.of(cached);
        }
        return unknownClients.getIfPresent(clientId) != null ? Optional.empty() : null;
    }

    public Optional<ApiView> api(String id) {
        return Optional.ofNullable(snapshot.apis().get(id));
    }

    /** The API whose request path covers this request path, if any (the gateway's routing). */
    public Optional<ApiView> apiForPath(String path) {
        return snapshot.apiForPath(path);
    }

    public Optional<RegisteredClient> client(String clientId) {
        Optional<RegisteredClient> cached = cachedClient(clientId);
        if (cached != null) {
            return cached;
        }
        // a load that overlaps a reload may have read the old row: it answers this request, but is not kept
        long before = generation;
        clientLoads.increment();
        Optional<RegisteredClient> loaded = reader.client(clientId);
        if (loaded.isPresent() && snapshot.plans().get(loaded.get().planId()) == null) {
            // a subscription newer than this replica's snapshot, on a plan it has not seen: its limits
            // must not be skipped until the next poll
            reload();
        }
        if (generation == before) {
            if (loaded.isPresent()) {
                clients.put(clientId, loaded.get());
            } else {
                unknownClients.put(clientId, Boolean.TRUE);
            }
            // a reload that ran between the check and the put would have cleared what it now holds
            if (generation != before) {
                clients.invalidate(clientId);
                unknownClients.invalidate(clientId);
            }
        }
        return loaded;
    }

    /** The trusted issuer whose {@code issuer} is exactly this {@code iss}. */
    public Optional<TrustedIssuerView> trustedIssuer(String iss) {
        return iss == null ? Optional.empty() : Optional.ofNullable(snapshot.trustedIssuersByIssuer().get(iss));
    }

    /**
     * The subscription of this API that a workload belongs to. Asked only after the workload's JWT
     * verified, so only a trusted issuer's signature can make it read the database.
     */
    public Optional<RegisteredClient> federatedClient(String apiId, String trustedIssuerId, String subject) {
        String key = apiId + "\n" + trustedIssuerId + "\n" + subject;
        String clientId = federatedClients.getIfPresent(key);
        if (clientId == null) {
            long before = generation;
            clientId = reader.federatedClientId(apiId, trustedIssuerId, subject).orElse("");
            if (generation == before) {
                federatedClients.put(key, clientId);
                if (generation != before) {
                    federatedClients.invalidate(key);
                }
            }
        }
        return clientId.isEmpty() ? Optional.empty() : client(clientId);
    }

    public RegistrySnapshot snapshot() {
        return snapshot;
    }

    /**
     * Called by a change made through this instance. Inside a transaction the reload waits for the
     * commit: reloading earlier would read, and cache, what the transaction is about to replace.
     */
    public void changed() {
        if (transactions.getTransactionKey() != null) {
            // once per transaction, however many changes it makes (a declarative file makes many)
            if (transactions.getResource(RELOAD_REGISTERED) != null) {
                return;
            }
            transactions.putResource(RELOAD_REGISTERED, Boolean.TRUE);
            transactions.registerInterposedSynchronization(new Synchronization() {
                @Override
                public void beforeCompletion() {
                }

                @Override
                public void afterCompletion(int status) {
                    if (status == Status.STATUS_COMMITTED) {
                        // a transaction of its own: inside the completing one, the reader would be handed
                        // the entities of its persistence context, which the commit leaves stale
                        io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().run(Registry.this::reload);
                    }
                }
            });
        } else {
            reload();
        }
    }

    /**
     * Another replica's change: the version a trigger bumps (migration V2) moved. Public so that a
     * test can take the scheduler's turn instead of waiting for it.
     */
    @Scheduled(every = "${portcullis.registry.poll-interval}", delayed = "${portcullis.registry.poll-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public void poll() {
        try {
            long current = reader.version();
            if (pollFailing) {
                LOG.info("The registry's database is reachable again");
                pollFailing = false;
            }
            if (current != version) {
                reload();
            }
        } catch (RuntimeException e) {
            if (!pollFailing) {
                LOG.warnf("Cannot poll the registry version (%s); serving the last known registry", e.getClass().getSimpleName());
                pollFailing = true;
            }
        }
    }

    private synchronized void reload() {
        generation++;
        long before = reader.version();
        RegistrySnapshot loaded = reader.snapshot();
        snapshot = loaded;
        generation++;
        clients.invalidateAll();
        unknownClients.invalidateAll();
        federatedClients.invalidateAll();
        // a change that landed while loading is picked up by the next poll
        version = before;
    }
}
