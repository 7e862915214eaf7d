package io.portcullis.admin;

import io.portcullis.keys.KeyState;
import io.portcullis.keys.SigningKeys;
import io.portcullis.registry.RegistryException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;
import java.util.Map;

/** Signing keys: their states (never a private part), and rotation on demand. */
@Path("/admin/v1/keys")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Signing keys")
@SecurityRequirement(name = "admin")
@AdminOnly
public class KeysResource {
    private final SigningKeys keys;
    private final AdminAudit audit;

    public KeysResource(SigningKeys keys, AdminAudit audit) {
        this.audit = audit;
        this.keys = keys;
    }

    @GET
    @Operation(summary = "List signing keys: next, active and retired")
    public List<KeyState> list() {
        return keys.states();
    }

    @POST
    @Path("rotate")
    @Operation(summary = "Rotate: the next key (published ahead) starts signing; the active key retires")
    public Map<String, String> rotate() {
        try {
            return audit.change("rotate signing keys", "keys", keys::states, () -> Map.of("activeKid", keys.rotate()), keys::states);
        } catch (IllegalStateException e) {
            throw RegistryException.conflict(null, e.getMessage());
        }
    }
}
