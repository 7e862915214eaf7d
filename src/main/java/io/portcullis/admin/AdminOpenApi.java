package io.portcullis.admin;

import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

/** The OpenAPI document's header (served at /q/openapi). */
@OpenAPIDefinition(info = @Info(title = "Portcullis", version = "v1",
        description = "Admin API: a bearer token of the built-in API 'admin' with scope 'admin', from "
                + "POST /auth/default/api/admin/token with the admin client's credentials."))
@SecurityScheme(securitySchemeName = "admin", type = SecuritySchemeType.HTTP, scheme = "bearer", bearerFormat = "JWT")
public class AdminOpenApi extends Application {
}
