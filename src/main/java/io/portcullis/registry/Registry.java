package io.portcullis.registry;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.portcullis.config.PortcullisConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;

/**
 * The registry as the hot paths see it: short-lived in-memory snapshots, so that a warm token
 * request reads nothing from the database. Misses are cached too (a flood of unknown client ids
 * must not become a flood of queries), and every entry expires after
 * {@code portcullis.registry.cache-ttl}, which bounds how long a change takes to be seen.
 */
@ApplicationScoped
public class Registry {

    private final RegistryReader reader;
    private final Cache<String, Optional<AuthMethodView>> authMethods;
    private final Cache<String, Optional<ApiView>> apis;
    private final Cache<String, Optional<ClientView>> clients;

    public Registry(RegistryReader reader, PortcullisConfig config) {
        this.reader = reader;
        this.authMethods = newCache(config);
        this.apis = newCache(config);
        this.clients = newCache(config);
    }

    private static <V> Cache<String, V> newCache(PortcullisConfig config) {
        return Caffeine.newBuilder()
                .expireAfterWrite(config.registry().cacheTtl())
                .maximumSize(config.registry().cacheMaxEntries())
                .build();
    }

    public Optional<AuthMethodView> authMethod(String id) {
        return authMethods.get(id, reader::authMethod);
    }

    public Optional<ApiView> api(String id) {
        return apis.get(id, reader::api);
    }

    public Optional<ClientView> client(String clientId) {
        return clients.get(clientId, reader::client);
    }

    /** Called after a change made through this instance, so that it is seen here at once. */
    public void invalidateAll() {
        authMethods.invalidateAll();
        apis.invalidateAll();
        clients.invalidateAll();
    }
}
