package io.portcullis.admin;

import io.portcullis.admin.AdminModels.ApiDoc;
import io.portcullis.admin.AdminModels.ApplicationDoc;
import io.portcullis.admin.AdminModels.AuthMethodDoc;
import io.portcullis.admin.AdminModels.Page;
import io.portcullis.admin.AdminModels.PlanDoc;
import io.portcullis.registry.RegistryException;
import io.portcullis.registry.RegistryService;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.net.URI;

/**
 * The admin REST API for auth methods, plans, APIs and applications (docs/contract.md#management): thin
 * resources over {@link RegistryService} (the rules) and {@link AdminQueries} (the reads).
 */
public final class RegistryResources {
    private RegistryResources() {
    }

    static <T> T body(T body) {
        if (body == null) {
            throw RegistryException.invalid(null, "a JSON body is required");
        }
        return body;
    }

    @Path("/admin/v1/auth-methods")
    @Produces(MediaType.APPLICATION_JSON)
    @Consumes(MediaType.APPLICATION_JSON)
    @Tag(name = "Auth methods")
    @SecurityRequirement(name = "admin")
    @AdminOnly
    public static class AuthMethods {
        private final RegistryService registry;
        private final AdminQueries queries;
        private final AdminAudit audit;

        public AuthMethods(RegistryService registry, AdminQueries queries, AdminAudit audit) {
            this.registry = registry;
            this.queries = queries;
            this.audit = audit;
        }

        @GET
        @Operation(summary = "List auth methods")
        public Page<AuthMethodDoc> list(@QueryParam("page") @DefaultValue("0") int page, @QueryParam("size") @DefaultValue("50") int size) {
            return queries.authMethods(page, size);
        }

        @GET
        @Path("{id}")
        @Operation(summary = "Read an auth method")
        public AuthMethodDoc get(@PathParam("id") String id) {
            return queries.authMethod(id);
        }

        @POST
        @Operation(summary = "Create an auth method")
        public Response create(AuthMethodDoc doc) {
            body(doc);
            audit.change("create auth-method", doc.id(), null, () -> {
                registry.createAuthMethod(doc.id(), doc.friendlyName(), doc.enabled() == null || doc.enabled());
                return registry.updateAuthMethod(doc.id(), doc.friendlyName(), doc.description(), doc.enabled() == null || doc.enabled());
            }, () -> queries.authMethod(doc.id()));
            return Response.created(URI.create("/admin/v1/auth-methods/" + doc.id())).entity(queries.authMethod(doc.id())).build();
        }

        @PUT
        @Path("{id}")
        @Operation(summary = "Replace an auth method")
        public AuthMethodDoc update(@PathParam("id") String id, AuthMethodDoc doc) {
            body(doc);
            return audit.change("update auth-method", id, () -> queries.authMethod(id), () -> {
                registry.updateAuthMethod(id, doc.friendlyName(), doc.description(), doc.enabled() == null || doc.enabled());
                return queries.authMethod(id);
            }, () -> queries.authMethod(id));
        }

        @DELETE
        @Path("{id}")
        @Operation(summary = "Delete an auth method no API accepts")
        public Response delete(@PathParam("id") String id) {
            audit.change("delete auth-method", id, () -> queries.authMethod(id), () -> {
                registry.deleteAuthMethod(id);
                return null;
            }, null);
            return Response.noContent().build();
        }
    }

    @Path("/admin/v1/plans")
    @Produces(MediaType.APPLICATION_JSON)
    @Consumes(MediaType.APPLICATION_JSON)
    @Tag(name = "Plans")
    @SecurityRequirement(name = "admin")
    @AdminOnly
    public static class Plans {
        private final RegistryService registry;
        private final AdminQueries queries;
        private final AdminAudit audit;

        public Plans(RegistryService registry, AdminQueries queries, AdminAudit audit) {
            this.registry = registry;
            this.queries = queries;
            this.audit = audit;
        }

        @GET
        @Operation(summary = "List plans")
        public Page<PlanDoc> list(@QueryParam("page") @DefaultValue("0") int page, @QueryParam("size") @DefaultValue("50") int size) {
            return queries.plans(page, size);
        }

        @GET
        @Path("{id}")
        @Operation(summary = "Read a plan")
        public PlanDoc get(@PathParam("id") String id) {
            return queries.plan(id);
        }

        @POST
        @Operation(summary = "Create a plan")
        public Response create(PlanDoc doc) {
            body(doc);
            audit.change("create plan", doc.id(), null, () -> {
                registry.createPlan(doc.id(), doc.name(), Boolean.TRUE.equals(doc.needsApproval()), doc.rateLimitPerMinute());
                return registry.updatePlan(doc.id(), doc.name(), doc.description(), Boolean.TRUE.equals(doc.needsApproval()), doc.rateLimitPerMinute());
            }, () -> queries.plan(doc.id()));
            return Response.created(URI.create("/admin/v1/plans/" + doc.id())).entity(queries.plan(doc.id())).build();
        }

        @PUT
        @Path("{id}")
        @Operation(summary = "Replace a plan")
        public PlanDoc update(@PathParam("id") String id, PlanDoc doc) {
            body(doc);
            return audit.change("update plan", id, () -> queries.plan(id), () -> {
                registry.updatePlan(id, doc.name(), doc.description(), Boolean.TRUE.equals(doc.needsApproval()), doc.rateLimitPerMinute());
                return queries.plan(id);
            }, () -> queries.plan(id));
        }

        @DELETE
        @Path("{id}")
        @Operation(summary = "Delete a plan nothing uses")
        public Response delete(@PathParam("id") String id) {
            audit.change("delete plan", id, () -> queries.plan(id), () -> {
                registry.deletePlan(id);
                return null;
            }, null);
            return Response.noContent().build();
        }
    }

    @Path("/admin/v1/apis")
    @Produces(MediaType.APPLICATION_JSON)
    @Consumes(MediaType.APPLICATION_JSON)
    @Tag(name = "APIs")
    @SecurityRequirement(name = "admin")
    @AdminOnly
    public static class Apis {
        private final RegistryService registry;
        private final AdminQueries queries;
        private final AdminAudit audit;

        public Apis(RegistryService registry, AdminQueries queries, AdminAudit audit) {
            this.registry = registry;
            this.queries = queries;
            this.audit = audit;
        }

        @GET
        @Operation(summary = "List APIs")
        public Page<ApiDoc> list(@QueryParam("page") @DefaultValue("0") int page, @QueryParam("size") @DefaultValue("50") int size) {
            return queries.apis(page, size);
        }

        @GET
        @Path("{id}")
        @Operation(summary = "Read an API, with its scopes and routes")
        public ApiDoc get(@PathParam("id") String id) {
            return queries.api(id);
        }

        @POST
        @Operation(summary = "Create an API")
        public Response create(ApiDoc doc) {
            body(doc);
            audit.change("create api", doc.id(), null, () -> registry.createApi(doc.spec()), () -> queries.api(doc.id()));
            return Response.created(URI.create("/admin/v1/apis/" + doc.id())).entity(queries.api(doc.id())).build();
        }

        @PUT
        @Path("{id}")
        @Operation(summary = "Replace an API's definition (scopes and routes included)")
        public ApiDoc update(@PathParam("id") String id, ApiDoc doc) {
            body(doc);
            return audit.change("update api", id, () -> queries.api(id), () -> {
                registry.updateApi(id, doc.spec());
                return queries.api(id);
            }, () -> queries.api(id));
        }

        @DELETE
        @Path("{id}")
        @Operation(summary = "Delete an API and its subscriptions")
        public Response delete(@PathParam("id") String id) {
            audit.change("delete api", id, () -> queries.api(id), () -> {
                registry.deleteApi(id);
                return null;
            }, null);
            return Response.noContent().build();
        }
    }

    @Path("/admin/v1/applications")
    @Produces(MediaType.APPLICATION_JSON)
    @Consumes(MediaType.APPLICATION_JSON)
    @Tag(name = "Applications")
    @SecurityRequirement(name = "admin")
    @AdminOnly
    public static class Applications {
        private final RegistryService registry;
        private final AdminQueries queries;
        private final AdminAudit audit;

        public Applications(RegistryService registry, AdminQueries queries, AdminAudit audit) {
            this.registry = registry;
            this.queries = queries;
            this.audit = audit;
        }

        @GET
        @Operation(summary = "List applications")
        public Page<ApplicationDoc> list(@QueryParam("page") @DefaultValue("0") int page, @QueryParam("size") @DefaultValue("50") int size) {
            return queries.applications(page, size);
        }

        @GET
        @Path("{id}")
        @Operation(summary = "Read an application")
        public ApplicationDoc get(@PathParam("id") String id) {
            return queries.application(id);
        }

        @POST
        @Operation(summary = "Create an application")
        public Response create(ApplicationDoc doc) {
            body(doc);
            audit.change("create application", doc.id(), null, () -> {
                registry.createApplication(doc.id(), doc.name(), doc.clientType());
                return registry.updateApplication(doc.id(), doc.name(), doc.description(), doc.clientType());
            }, () -> queries.application(doc.id()));
            return Response.created(URI.create("/admin/v1/applications/" + doc.id())).entity(queries.application(doc.id())).build();
        }

        @PUT
        @Path("{id}")
        @Operation(summary = "Replace an application")
        public ApplicationDoc update(@PathParam("id") String id, ApplicationDoc doc) {
            body(doc);
            return audit.change("update application", id, () -> queries.application(id), () -> {
                registry.updateApplication(id, doc.name(), doc.description(), doc.clientType());
                return queries.application(id);
            }, () -> queries.application(id));
        }

        @DELETE
        @Path("{id}")
        @Operation(summary = "Delete an application and its subscriptions (their tokens stop working)")
        public Response delete(@PathParam("id") String id) {
            audit.change("delete application", id, () -> queries.application(id), () -> {
                registry.deleteApplication(id);
                return null;
            }, null);
            return Response.noContent().build();
        }
    }
}
