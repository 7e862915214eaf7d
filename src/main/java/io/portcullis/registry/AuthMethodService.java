package io.portcullis.registry;

import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import static io.portcullis.registry.RegistryRules.AUTH_METHOD_ID;
import static io.portcullis.registry.RegistryRules.orDefault;
import static io.portcullis.registry.RegistryRules.require;

/** Auth methods (docs/contract.md#model): each change whole, in one transaction. */
@ApplicationScoped
@Transactional
public class AuthMethodService {
    private final Registry registry;

    public AuthMethodService(Registry registry) {
        this.registry = registry;
    }

    public AuthMethodDefinition find(String id) {
        return AuthMethodDefinition.of(entity(id));
    }

    public Page<AuthMethodDefinition> list(int page, int size) {
        return Page.of(AuthMethod.findAll(Sort.by("id")), page, size, AuthMethodDefinition::of);
    }

    public AuthMethodDefinition create(AuthMethodDefinition definition) {
        require(AUTH_METHOD_ID, definition.id(), "id");
        if (AuthMethod.findById(definition.id()) != null) {
            throw RegistryException.conflict("id", "auth method '" + definition.id() + "' already exists");
        }
        AuthMethod method = new AuthMethod();
        method.id = definition.id();
        write(method, definition);
        method.persist();
        registry.changed();
        return AuthMethodDefinition.of(method);
    }

    public AuthMethodDefinition replace(String id, AuthMethodDefinition definition) {
        AuthMethod method = entity(id);
        write(method, definition);
        registry.changed();
        return AuthMethodDefinition.of(method);
    }

    /** Creates or replaces; a definition equal to what is stored changes nothing. */
    public AuthMethodDefinition apply(AuthMethodDefinition definition) {
        return AuthMethod.findById(definition.id()) == null ? create(definition) : replace(definition.id(), definition);
    }

    /** An auth method some API still accepts cannot go: its token endpoints would vanish under the clients. */
    public void delete(String id) {
        AuthMethod method = entity(id);
        long users = Api.count("select count(a) from Api a join a.authMethods m where m.id = ?1", id);
        if (users > 0) {
            throw RegistryException.conflict("id", "auth method '" + id + "' is accepted by " + users + " API(s)");
        }
        method.delete();
        registry.changed();
    }

    private static void write(AuthMethod method, AuthMethodDefinition definition) {
        method.friendlyName = orDefault(definition.friendlyName(), method.id);
        method.description = definition.description();
        method.enabled = definition.enabled() == null || definition.enabled();
    }

    private static AuthMethod entity(String id) {
        return AuthMethod.<AuthMethod>findByIdOptional(id).orElseThrow(() -> RegistryException.notFound("auth method", id));
    }
}
