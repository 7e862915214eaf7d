package io.portcullis.registry;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Reads registry entities from the database into immutable views. Only {@link Registry} calls it. */
@ApplicationScoped
public class RegistryReader {

    @Transactional
    public Optional<AuthMethodView> authMethod(String id) {
        return AuthMethod.<AuthMethod>findByIdOptional(id)
                .map(m -> new AuthMethodView(m.id, m.friendlyName, m.description, m.enabled));
    }

    @Transactional
    public Optional<ApiView> api(String id) {
        return Api.<Api>findByIdOptional(id).map(RegistryReader::view);
    }

    @Transactional
    public List<ApiView> apis() {
        return Api.<Api>listAll().stream().map(RegistryReader::view).toList();
    }

    @Transactional
    public Optional<ClientView> client(String clientId) {
        return Subscription.<Subscription>find(
                        "from Subscription s join fetch s.application join fetch s.plan where s.clientId = ?1", clientId)
                .firstResultOptional()
                .map(s -> new ClientView(
                        s.clientId,
                        s.clientSecretHash,
                        s.id,
                        s.application.id,
                        s.application.clientType,
                        s.api.id,
                        s.plan.id,
                        s.approved,
                        s.trusted,
                        s.allowedScopesMode,
                        s.allowedScopes.stream().map(r -> r.scopeId).collect(Collectors.toUnmodifiableSet())));
    }

    static ApiView view(Api api) {
        Map<String, String> scopes = new LinkedHashMap<>();
        api.scopes.forEach(s -> scopes.put(s.scopeId, s.description));
        List<ApiView.RouteView> routes = api.routes.stream()
                .map(r -> new ApiView.RouteView(
                        r.pathPrefix,
                        r.methods == null ? Set.of() : Set.copyOf(Arrays.asList(r.methods.split(","))),
                        r.scopes.stream().map(s -> s.scopeId).collect(Collectors.toCollection(LinkedHashSet::new))))
                .toList();
        return new ApiView(
                api.id,
                api.name,
                api.description,
                api.requestPath,
                api.upstreamUrl,
                api.tokenLifetimeSeconds,
                api.clientCredentialsEnabled,
                api.hideCredentials,
                api.deprecated,
                api.authMethods.stream().map(m -> m.id).collect(Collectors.toUnmodifiableSet()),
                java.util.Collections.unmodifiableMap(scopes),
                routes);
    }
}
