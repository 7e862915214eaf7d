package io.portcullis.registry;

import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import static io.portcullis.registry.RegistryRules.APPLICATION_ID;
import static io.portcullis.registry.RegistryRules.orDefault;
import static io.portcullis.registry.RegistryRules.require;

/** Applications (docs/contract.md#model): each change whole, in one transaction. */
@ApplicationScoped
@Transactional
public class ApplicationService {
    private final Registry registry;

    public ApplicationService(Registry registry) {
        this.registry = registry;
    }

    public ApplicationDefinition find(String id) {
        return ApplicationDefinition.of(entity(id));
    }

    public Page<ApplicationDefinition> list(int page, int size) {
        return Page.of(Application.findAll(Sort.by("id")), page, size, ApplicationDefinition::of);
    }

    public ApplicationDefinition create(ApplicationDefinition definition) {
        require(APPLICATION_ID, definition.id(), "id");
        if (Application.findById(definition.id()) != null) {
            throw RegistryException.conflict("id", "application '" + definition.id() + "' already exists");
        }
        Application app = new Application();
        app.id = definition.id();
        app.clientType = definition.clientType() == null ? ClientType.CONFIDENTIAL : definition.clientType();
        write(app, definition);
        app.persist();
        registry.changed();
        return ApplicationDefinition.of(app);
    }

    /** A client type left out is kept; it cannot change once the application has subscriptions. */
    public ApplicationDefinition replace(String id, ApplicationDefinition definition) {
        Application app = entity(id);
        ClientType type = definition.clientType() == null ? app.clientType : definition.clientType();
        if (type != app.clientType && Subscription.count("application.id", id) > 0) {
            throw RegistryException.conflict("clientType", "the client type of an application with subscriptions cannot change");
        }
        app.clientType = type;
        write(app, definition);
        registry.changed();
        return ApplicationDefinition.of(app);
    }

    /** Creates or replaces; a definition equal to what is stored changes nothing. */
    public ApplicationDefinition apply(ApplicationDefinition definition) {
        return Application.findById(definition.id()) == null ? create(definition) : replace(definition.id(), definition);
    }

    /** Deleting an application deletes its subscriptions; their tokens stop at the gateway. */
    public void delete(String id) {
        Application app = entity(id);
        Subscription.delete("application.id", id);
        app.delete();
        registry.changed();
    }

    private static void write(Application app, ApplicationDefinition definition) {
        app.name = orDefault(definition.name(), app.id);
        app.description = definition.description();
    }

    private static Application entity(String id) {
        return Application.<Application>findByIdOptional(id).orElseThrow(() -> RegistryException.notFound("application", id));
    }
}
