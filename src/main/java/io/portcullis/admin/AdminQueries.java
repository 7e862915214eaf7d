package io.portcullis.admin;

import io.portcullis.admin.AdminModels.ApiDoc;
import io.portcullis.admin.AdminModels.ApplicationDoc;
import io.portcullis.admin.AdminModels.AuthMethodDoc;
import io.portcullis.admin.AdminModels.KeyDoc;
import io.portcullis.admin.AdminModels.Page;
import io.portcullis.admin.AdminModels.PlanDoc;
import io.portcullis.admin.AdminModels.SubscriptionDoc;
import io.portcullis.keys.SigningKey;
import io.portcullis.registry.Api;
import io.portcullis.registry.Application;
import io.portcullis.registry.AuthMethod;
import io.portcullis.registry.Plan;
import io.portcullis.registry.RegistryException;
import io.portcullis.registry.Subscription;
import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/** The admin API's reads, as documents, each in its own read transaction. */
@ApplicationScoped
@Transactional
public class AdminQueries {
    static final int MAX_PAGE_SIZE = 500;

    public Page<AuthMethodDoc> authMethods(int page, int size) {
        return page(AuthMethod.findAll(Sort.by("id")), page, size, AuthMethodDoc::of);
    }

    public AuthMethodDoc authMethod(String id) {
        return AuthMethodDoc.of(AuthMethod.<AuthMethod>findByIdOptional(id).orElseThrow(() -> RegistryException.notFound("auth method", id)));
    }

    public Page<PlanDoc> plans(int page, int size) {
        return page(Plan.findAll(Sort.by("id")), page, size, PlanDoc::of);
    }

    public PlanDoc plan(String id) {
        return PlanDoc.of(Plan.<Plan>findByIdOptional(id).orElseThrow(() -> RegistryException.notFound("plan", id)));
    }

    public Page<ApiDoc> apis(int page, int size) {
        return page(Api.findAll(Sort.by("id")), page, size, ApiDoc::of);
    }

    public ApiDoc api(String id) {
        return ApiDoc.of(Api.<Api>findByIdOptional(id).orElseThrow(() -> RegistryException.notFound("API", id)));
    }

    public Page<ApplicationDoc> applications(int page, int size) {
        return page(Application.findAll(Sort.by("id")), page, size, ApplicationDoc::of);
    }

    public ApplicationDoc application(String id) {
        return ApplicationDoc.of(Application.<Application>findByIdOptional(id)
                .orElseThrow(() -> RegistryException.notFound("application", id)));
    }

    public Page<SubscriptionDoc> subscriptions(String applicationId, String apiId, int page, int size) {
        StringBuilder query = new StringBuilder("1 = 1");
        Map<String, Object> params = new LinkedHashMap<>();
        if (applicationId != null) {
            query.append(" and application.id = :app");
            params.put("app", applicationId);
        }
        if (apiId != null) {
            query.append(" and api.id = :api");
            params.put("api", apiId);
        }
        return page(Subscription.find(query.toString(), Sort.by("createdAt").and("id"), params), page, size, s -> SubscriptionDoc.of((Subscription) s, null));
    }

    public SubscriptionDoc subscription(UUID id, String secret) {
        return SubscriptionDoc.of(Subscription.<Subscription>findByIdOptional(id)
                .orElseThrow(() -> RegistryException.notFound("subscription", String.valueOf(id))), secret);
    }

    public java.util.List<KeyDoc> keys() {
        return SigningKey.<SigningKey>listAll(Sort.by("createdAt").descending()).stream()
                .map(k -> new KeyDoc(k.kid, k.alg, k.status, k.createdAt, k.activatedAt, k.retiredAt, k.publishUntil))
                .toList();
    }

    /** The audit trail, newest first, filtered by any of kind, actor, API, outcome and a time range. */
    @SuppressWarnings("unchecked")
    public Page<AdminModels.AuditDoc> audit(String kind, String actor, String apiId, String outcome, java.time.Instant from,
                                            java.time.Instant to, int page, int size) {
        if (page < 0 || size < 1 || size > MAX_PAGE_SIZE) {
            throw RegistryException.invalid(size < 1 || size > MAX_PAGE_SIZE ? "size" : "page", "page must be 0 or more, size 1 to " + MAX_PAGE_SIZE);
        }
        StringBuilder where = new StringBuilder(" where 1 = 1");
        Map<String, Object> params = new LinkedHashMap<>();
        if (kind != null) { where.append(" and kind = :kind"); params.put("kind", kind); }
        if (actor != null) { where.append(" and actor = :actor"); params.put("actor", actor); }
        if (apiId != null) { where.append(" and api_id = :api"); params.put("api", apiId); }
        if (outcome != null) { where.append(" and outcome = :outcome"); params.put("outcome", outcome); }
        if (from != null) { where.append(" and occurred_at >= :from"); params.put("from", from); }
        if (to != null) { where.append(" and occurred_at < :to"); params.put("to", to); }
        var em = Api.getEntityManager();
        var select = em.createNativeQuery("select id, occurred_at, kind, actor, action, target, outcome, error, api_id, auth_method_id, "
                + "scopes_requested, scopes_granted, remote_address, request_id, before_doc, after_doc from audit_event" + where
                + " order by occurred_at desc, id desc");
        var count = em.createNativeQuery("select count(*) from audit_event" + where);
        params.forEach((k, v) -> {
            select.setParameter(k, v);
            count.setParameter(k, v);
        });
        List<Object[]> rows = select.setFirstResult(page * size).setMaxResults(size).getResultList();
        List<AdminModels.AuditDoc> docs = rows.stream().map(r -> new AdminModels.AuditDoc(((Number) r[0]).longValue(),
                toInstant(r[1]), (String) r[2], (String) r[3], (String) r[4], (String) r[5], (String) r[6], (String) r[7],
                (String) r[8], (String) r[9], (String) r[10], (String) r[11], (String) r[12], (String) r[13], (String) r[14],
                (String) r[15])).toList();
        return new Page<>(docs, page, size, ((Number) count.getSingleResult()).longValue());
    }

    private static java.time.Instant toInstant(Object value) {
        if (value instanceof java.time.Instant i) {
            return i;
        }
        if (value instanceof java.time.OffsetDateTime o) {
            return o.toInstant();
        }
        if (value instanceof java.sql.Timestamp t) {
            return t.toInstant();
        }
        return java.time.Instant.parse(value.toString());
    }

    @SuppressWarnings("unchecked")
    private static <E, D> Page<D> page(PanacheQuery<?> query, int page, int size, Function<E, D> map) {
        if (page < 0) {
            throw RegistryException.invalid("page", "page must be 0 or more");
        }
        if (size < 1 || size > MAX_PAGE_SIZE) {
            throw RegistryException.invalid("size", "size must be between 1 and " + MAX_PAGE_SIZE);
        }
        PanacheQuery<E> typed = (PanacheQuery<E>) query;
        return new Page<>(typed.page(page, size).list().stream().map(map).toList(), page, size, typed.count());
    }
}
