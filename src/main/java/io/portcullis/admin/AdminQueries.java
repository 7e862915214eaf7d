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
