package io.portcullis.registry;

/** An application as the admin API, the declarative file and {@link ApplicationService} read and write it. */
public record ApplicationDefinition(String id, String name, String description, ClientType clientType) {
    static ApplicationDefinition of(Application a) {
        return new ApplicationDefinition(a.id, a.name, a.description, a.clientType);
    }
}
