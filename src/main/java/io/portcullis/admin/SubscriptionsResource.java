package io.portcullis.admin;

import io.portcullis.admin.AdminModels.ClientKeys;
import io.portcullis.admin.AdminModels.FederatedIdentities;
import io.portcullis.admin.AdminModels.SecretRotation;
import io.portcullis.config.PortcullisConfig;
import io.portcullis.registry.CredentialService;
import io.portcullis.registry.Page;
import io.portcullis.registry.RegistryException;
import io.portcullis.registry.SubscriptionDefinition;
import io.portcullis.registry.SubscriptionDocument;
import io.portcullis.registry.SubscriptionService;
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
import java.time.Duration;
import java.util.UUID;

/**
 * Subscriptions: the credentials of an application at one API. Creating one on a plan that needs
 * no approval, approving one, and rotating a secret are the only answers that carry a secret.
 */
@Path("/admin/v1/subscriptions")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Subscriptions")
@SecurityRequirement(name = "admin")
@AdminOnly
public class SubscriptionsResource {
    private final SubscriptionService subscriptions;
    private final CredentialService credentials;
    private final PortcullisConfig config;
    private final AdminAudit audit;

    public SubscriptionsResource(SubscriptionService subscriptions, CredentialService credentials, PortcullisConfig config,
                                 AdminAudit audit) {
        this.subscriptions = subscriptions;
        this.credentials = credentials;
        this.config = config;
        this.audit = audit;
    }

    @GET
    @Operation(summary = "List subscriptions, optionally of one application or one API")
    public Page<SubscriptionDocument> list(@QueryParam("applicationId") String applicationId, @QueryParam("apiId") String apiId,
                                      @QueryParam("page") @DefaultValue("0") int page, @QueryParam("size") @DefaultValue("50") int size) {
        return subscriptions.list(applicationId, apiId, page, size);
    }

    @GET
    @Path("{id}")
    @Operation(summary = "Read a subscription (never its secret)")
    public SubscriptionDocument get(@PathParam("id") UUID id) {
        return subscriptions.find(id, null);
    }

    @POST
    @Operation(summary = "Subscribe an application to an API; approved at once unless the plan needs approval")
    public Response create(SubscriptionDefinition change) {
        RegistryResources.body(change);
        var issued = audit.change("create subscription", change.applicationId() + " -> " + change.apiId(), null,
                () -> subscriptions.subscribe(change),
                () -> subscriptions.list(change.applicationId(), change.apiId(), 0, 1).items());
        return Response.created(URI.create("/admin/v1/subscriptions/" + issued.subscriptionId()))
                .header("Cache-Control", "no-store")
                .entity(subscriptions.find(issued.subscriptionId(), issued.clientSecret())).build();
    }

    @PUT
    @Path("{id}")
    @Operation(summary = "Change a subscription's plan, trust and scopes")
    public SubscriptionDocument update(@PathParam("id") UUID id, SubscriptionDefinition change) {
        RegistryResources.body(change);
        return audit.change("update subscription", id.toString(), () -> subscriptions.find(id, null), () -> {
            subscriptions.replace(id, change);
            return subscriptions.find(id, null);
        }, () -> subscriptions.find(id, null));
    }

    @POST
    @Path("{id}/approve")
    @Operation(summary = "Approve a pending subscription; issues its credentials")
    public Response approve(@PathParam("id") UUID id) {
        var issued = audit.change("approve subscription", id.toString(), () -> subscriptions.find(id, null),
                () -> subscriptions.approve(id), () -> subscriptions.find(id, null));
        return Response.ok(subscriptions.find(id, issued.clientSecret())).header("Cache-Control", "no-store").build();
    }

    /** The longest a rotated-out secret may keep working. */
    static final Duration MAX_GRACE = Duration.ofDays(30);

    @POST
    @Path("{id}/rotate-secret")
    @Operation(summary = "Issue a new secret; the old one keeps working for the grace period (default 24 h)")
    public Response rotateSecret(@PathParam("id") UUID id, SecretRotation rotation) {
        if (rotation != null && rotation.gracePeriodSeconds() != null
                && (rotation.gracePeriodSeconds() < 0 || rotation.gracePeriodSeconds() > MAX_GRACE.toSeconds())) {
            // an old secret kept for years is a secret that was never rotated
            throw RegistryException.invalid("gracePeriodSeconds", "gracePeriodSeconds must be between 0 and " + MAX_GRACE.toSeconds() + " (30 days)");
        }
        Duration grace = rotation == null || rotation.gracePeriodSeconds() == null
                ? config.secrets().rotationGrace() : Duration.ofSeconds(rotation.gracePeriodSeconds());
        var issued = audit.change("rotate subscription secret", id.toString(), () -> subscriptions.find(id, null),
                () -> credentials.rotateSecret(id, grace), () -> subscriptions.find(id, null));
        return Response.ok(subscriptions.find(id, issued.clientSecret())).header("Cache-Control", "no-store").build();
    }

    @PUT
    @Path("{id}/keys")
    @Operation(summary = "Register the public keys (a JWK set, or its URL) for private_key_jwt")
    public SubscriptionDocument keys(@PathParam("id") UUID id, ClientKeys keys) {
        RegistryResources.body(keys);
        String jwks = null;
        if (keys.jwks() != null) {
            try {
                jwks = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(keys.jwks());
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw RegistryException.invalid("jwks", "jwks is not a JWK set");
            }
        }
        String registered = jwks;
        return audit.change("set subscription keys", id.toString(), () -> subscriptions.find(id, null), () -> {
            credentials.setClientKeys(id, registered, keys.jwksUri());
            return subscriptions.find(id, null);
        }, () -> subscriptions.find(id, null));
    }

    @PUT
    @Path("{id}/federated-identities")
    @Operation(summary = "Replace the workloads (trusted issuer and subject) that authenticate as this subscription with their platform's JWT")
    public SubscriptionDocument federatedIdentities(@PathParam("id") UUID id, FederatedIdentities body) {
        RegistryResources.body(body);
        return audit.change("set subscription federated identities", id.toString(), () -> subscriptions.find(id, null), () -> {
            credentials.setFederatedIdentities(id, body.identities());
            return subscriptions.find(id, null);
        }, () -> subscriptions.find(id, null));
    }

    @PUT
    @Path("{id}/tls-client-auth")
    @Operation(summary = "Set the client certificate credential (RFC 8705): tls_client_auth with one of subjectDn, sanDns, sanUri, "
            + "sanIp, sanEmail, or self_signed_tls_client_auth with the subscription's registered keys")
    public SubscriptionDocument tlsClientAuth(@PathParam("id") UUID id, io.portcullis.registry.TlsClientAuthDefinition body) {
        RegistryResources.body(body);
        return audit.change("set subscription tls client auth", id.toString(), () -> subscriptions.find(id, null), () -> {
            credentials.setTlsClientAuth(id, body);
            return subscriptions.find(id, null);
        }, () -> subscriptions.find(id, null));
    }

    @DELETE
    @Path("{id}/tls-client-auth")
    @Operation(summary = "Remove the client certificate credential; tokens already bound to a certificate stay bound to it")
    public SubscriptionDocument removeTlsClientAuth(@PathParam("id") UUID id) {
        return audit.change("remove subscription tls client auth", id.toString(), () -> subscriptions.find(id, null), () -> {
            credentials.setTlsClientAuth(id, null);
            return subscriptions.find(id, null);
        }, () -> subscriptions.find(id, null));
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Delete a subscription; its tokens stop working at the gateway")
    public Response delete(@PathParam("id") UUID id) {
        audit.change("delete subscription", id.toString(), () -> subscriptions.find(id, null), () -> {
            subscriptions.delete(id);
            return null;
        }, null);
        return Response.noContent().build();
    }
}
