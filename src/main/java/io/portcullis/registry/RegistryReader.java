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

    /** Bumped by a trigger on every registry table (migration V2). */
    @Transactional
    public long version() {
        return ((Number) io.quarkus.hibernate.orm.panache.Panache.getEntityManager().createNativeQuery("select version from registry_version where id = 1")
                .getSingleResult()).longValue();
    }

    /** Every auth method and API; their collections come in batches (quarkus.hibernate-orm.fetch.batch-size). */
    @Transactional
    public RegistrySnapshot snapshot() {
        Map<String, AuthMethodView> methods = new LinkedHashMap<>();
        for (AuthMethod m : AuthMethod.<AuthMethod>listAll()) {
            methods.put(m.id, new AuthMethodView(m.id, m.friendlyName, m.description, m.enabled));
        }
        Map<String, PlanView> plans = new LinkedHashMap<>();
        for (Plan p : Plan.<Plan>listAll()) {
            plans.put(p.id, new PlanView(p.id, p.name, p.description, p.needsApproval, p.rateLimitPerMinute, TokenQuota.of(p)));
        }
        Map<String, ApiView> apis = new LinkedHashMap<>();
        for (Api api : Api.<Api>listAll()) {
            apis.put(api.id, view(api));
        }
        Map<String, TrustedIssuerView> issuers = new LinkedHashMap<>();
        for (TrustedIssuer t : TrustedIssuer.<TrustedIssuer>listAll()) {
            issuers.put(t.issuer, TrustedIssuerView.of(TrustedIssuerDefinition.of(t)));
        }
        return RegistrySnapshot.of(methods, plans, apis, issuers);
    }

    @Transactional
    public Optional<RegisteredClient> client(String clientId) {
        return Subscription.<Subscription>find(
                        "from Subscription s join fetch s.application join fetch s.plan where s.clientId = ?1", clientId)
                .firstResultOptional()
                .map(RegisteredClient::of);
    }

    /** The client id of the subscription of this API that the workload belongs to. */
    @Transactional
    public Optional<String> federatedClientId(String apiId, String trustedIssuerId, String subject) {
        return Subscription.<Subscription>find("select s from Subscription s join s.federatedIdentities f "
                        + "where f.apiId = ?1 and f.trustedIssuerId = ?2 and f.subject = ?3", apiId, trustedIssuerId, subject)
                .firstResultOptional().map(s -> s.clientId);
    }

    static ApiView view(Api api) {
        return ApiView.of(ApiDefinition.of(api));
    }
}
