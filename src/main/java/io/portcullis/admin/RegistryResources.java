package io.portcullis.admin;

import io.portcullis.registry.ApiDefinition;
import io.portcullis.registry.ApiService;
import io.portcullis.registry.ApplicationDefinition;
import io.portcullis.registry.ApplicationService;
import io.portcullis.registry.AuthMethodDefinition;
import io.portcullis.registry.AuthMethodService;
import io.portcullis.registry.Page;
import io.portcullis.registry.PlanDefinition;
import io.portcullis.registry.PlanService;
import io.portcullis.registry.RegistryException;
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
 * resources over each aggregate's service, which takes the whole definition in one transaction.
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
        private final AuthMethodService service;
        private final AdminAudit audit;

        public AuthMethods(AuthMethodService service, AdminAudit audit) {
            this.service = service;
            this.audit = audit;
        }

        @GET
        @Operation(summary = "List auth methods")
        public Page<AuthMethodDefinition> list(@QueryParam("page") @DefaultValue("0") int page, @QueryParam("size") @DefaultValue("50") int size) {
            return service.list(page, size);
        }

        @GET
        @Path("{id}")
        @Operation(summary = "Read an auth method")
        public AuthMethodDefinition get(@PathParam("id") String id) {
            return service.find(id);
        }

        @POST
        @Operation(summary = "Create an auth method")
        public Response create(AuthMethodDefinition definition) {
            body(definition);
            audit.change("create auth-method", definition.id(), null, () -> service.create(definition), () -> service.find(definition.id()));
            // read back in a transaction of its own: collections in their stored order
            return Response.created(URI.create("/admin/v1/auth-methods/" + definition.id())).entity(service.find(definition.id())).build();
        }

        @PUT
        @Path("{id}")
        @Operation(summary = "Replace an auth method")
        public AuthMethodDefinition update(@PathParam("id") String id, AuthMethodDefinition definition) {
            body(definition);
            return audit.change("update auth-method", id, () -> service.find(id), () -> {
                service.replace(id, definition);
                return service.find(id);
            }, () -> service.find(id));
        }

        @DELETE
        @Path("{id}")
        @Operation(summary = "Delete an auth method no API accepts")
        public Response delete(@PathParam("id") String id) {
            audit.change("delete auth-method", id, () -> service.find(id), () -> {
                service.delete(id);
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
        private final PlanService service;
        private final AdminAudit audit;

        public Plans(PlanService service, AdminAudit audit) {
            this.service = service;
            this.audit = audit;
        }

        @GET
        @Operation(summary = "List plans")
        public Page<PlanDefinition> list(@QueryParam("page") @DefaultValue("0") int page, @QueryParam("size") @DefaultValue("50") int size) {
            return service.list(page, size);
        }

        @GET
        @Path("{id}")
        @Operation(summary = "Read a plan")
        public PlanDefinition get(@PathParam("id") String id) {
            return service.find(id);
        }

        @POST
        @Operation(summary = "Create a plan")
        public Response create(PlanDefinition definition) {
            body(definition);
            audit.change("create plan", definition.id(), null, () -> service.create(definition), () -> service.find(definition.id()));
            // read back in a transaction of its own: collections in their stored order
            return Response.created(URI.create("/admin/v1/plans/" + definition.id())).entity(service.find(definition.id())).build();
        }

        @PUT
        @Path("{id}")
        @Operation(summary = "Replace a plan")
        public PlanDefinition update(@PathParam("id") String id, PlanDefinition definition) {
            body(definition);
            return audit.change("update plan", id, () -> service.find(id), () -> {
                service.replace(id, definition);
                return service.find(id);
            }, () -> service.find(id));
        }

        @DELETE
        @Path("{id}")
        @Operation(summary = "Delete a plan nothing uses")
        public Response delete(@PathParam("id") String id) {
            audit.change("delete plan", id, () -> service.find(id), () -> {
                service.delete(id);
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
        private final ApiService service;
        private final AdminAudit audit;

        public Apis(ApiService service, AdminAudit audit) {
            this.service = service;
            this.audit = audit;
        }

        @GET
        @Operation(summary = "List APIs")
        public Page<ApiDefinition> list(@QueryParam("page") @DefaultValue("0") int page, @QueryParam("size") @DefaultValue("50") int size) {
            return service.list(page, size);
        }

        @GET
        @Path("{id}")
        @Operation(summary = "Read an API, with its scopes and routes")
        public ApiDefinition get(@PathParam("id") String id) {
            return service.find(id);
        }

        @POST
        @Operation(summary = "Create an API")
        public Response create(ApiDefinition definition) {
            body(definition);
            audit.change("create api", definition.id(), null, () -> service.create(definition), () -> service.find(definition.id()));
            // read back in a transaction of its own: collections in their stored order
            return Response.created(URI.create("/admin/v1/apis/" + definition.id())).entity(service.find(definition.id())).build();
        }

        @PUT
        @Path("{id}")
        @Operation(summary = "Replace an API's definition (scopes and routes included)")
        public ApiDefinition update(@PathParam("id") String id, ApiDefinition definition) {
            body(definition);
            return audit.change("update api", id, () -> service.find(id), () -> {
                service.replace(id, definition);
                return service.find(id);
            }, () -> service.find(id));
        }

        @DELETE
        @Path("{id}")
        @Operation(summary = "Delete an API and its subscriptions")
        public Response delete(@PathParam("id") String id) {
            audit.change("delete api", id, () -> service.find(id), () -> {
                service.delete(id);
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
        private final ApplicationService service;
        private final AdminAudit audit;

        public Applications(ApplicationService service, AdminAudit audit) {
            this.service = service;
            this.audit = audit;
        }

        @GET
        @Operation(summary = "List applications")
        public Page<ApplicationDefinition> list(@QueryParam("page") @DefaultValue("0") int page, @QueryParam("size") @DefaultValue("50") int size) {
            return service.list(page, size);
        }

        @GET
        @Path("{id}")
        @Operation(summary = "Read an application")
        public ApplicationDefinition get(@PathParam("id") String id) {
            return service.find(id);
        }

        @POST
        @Operation(summary = "Create an application")
        public Response create(ApplicationDefinition definition) {
            body(definition);
            audit.change("create application", definition.id(), null, () -> service.create(definition), () -> service.find(definition.id()));
            // read back in a transaction of its own: collections in their stored order
            return Response.created(URI.create("/admin/v1/applications/" + definition.id())).entity(service.find(definition.id())).build();
        }

        @PUT
        @Path("{id}")
        @Operation(summary = "Replace an application")
        public ApplicationDefinition update(@PathParam("id") String id, ApplicationDefinition definition) {
            body(definition);
            return audit.change("update application", id, () -> service.find(id), () -> {
                service.replace(id, definition);
                return service.find(id);
            }, () -> service.find(id));
        }

        @DELETE
        @Path("{id}")
        @Operation(summary = "Delete an application and its subscriptions (their tokens stop working)")
        public Response delete(@PathParam("id") String id) {
            audit.change("delete application", id, () -> service.find(id), () -> {
                service.delete(id);
                return null;
            }, null);
            return Response.noContent().build();
        }
    }

}
