package io.portcullis.admin;

import io.portcullis.registry.Page;
import io.portcullis.registry.TrustedIssuerDefinition;
import io.portcullis.registry.TrustedIssuerService;
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
 * Trusted issuers of workload JWTs (docs/contract.md#federated-workload-identity): a thin resource over
 * {@link TrustedIssuerService}.
 */
@Path("/admin/v1/trusted-issuers")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Trusted issuers")
@SecurityRequirement(name = "admin")
@AdminOnly
public class TrustedIssuersResource {
    private final TrustedIssuerService service;
    private final AdminAudit audit;

    public TrustedIssuersResource(TrustedIssuerService service, AdminAudit audit) {
        this.service = service;
        this.audit = audit;
    }

    @GET
    @Operation(summary = "List trusted issuers (federated workload identity)")
    public Page<TrustedIssuerDefinition> list(@QueryParam("page") @DefaultValue("0") int page, @QueryParam("size") @DefaultValue("50") int size) {
        return service.list(page, size);
    }

    @GET
    @Path("{id}")
    @Operation(summary = "Read a trusted issuer")
    public TrustedIssuerDefinition get(@PathParam("id") String id) {
        return service.find(id);
    }

    @POST
    @Operation(summary = "Trust an issuer of workload JWTs: exactly one key source (jwksUri, jwks or discovery)")
    public Response create(TrustedIssuerDefinition definition) {
        RegistryResources.body(definition);
        audit.change("create trusted-issuer", definition.id(), null, () -> service.create(definition), () -> service.find(definition.id()));
        // read back in a transaction of its own: collections in their stored order
        return Response.created(URI.create("/admin/v1/trusted-issuers/" + definition.id())).entity(service.find(definition.id())).build();
    }

    @PUT
    @Path("{id}")
    @Operation(summary = "Replace a trusted issuer")
    public TrustedIssuerDefinition update(@PathParam("id") String id, TrustedIssuerDefinition definition) {
        RegistryResources.body(definition);
        return audit.change("update trusted-issuer", id, () -> service.find(id), () -> {
            service.replace(id, definition);
            return service.find(id);
        }, () -> service.find(id));
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Delete a trusted issuer no federated identity names")
    public Response delete(@PathParam("id") String id) {
        audit.change("delete trusted-issuer", id, () -> service.find(id), () -> {
            service.delete(id);
            return null;
        }, null);
        return Response.noContent().build();
    }
}
