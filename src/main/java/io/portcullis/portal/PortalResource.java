package io.portcullis.portal;

import io.portcullis.config.PortcullisConfig;
import io.portcullis.registry.ApiView;
import io.portcullis.registry.Registry;
import io.portcullis.registry.RegistrySnapshot;
import io.portcullis.token.AccessTokenIssuer;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The API portal (docs/contract.md#management): plain HTML pages, readable without JavaScript. The list of
 * APIs, and a page per API with its token endpoints at the top, its endpoint, scopes and curl
 * examples. The views are computed by {@link ApiPage}; the templates only print (and escape) them.
 */
@Path("/portal")
@Produces(MediaType.TEXT_HTML)
public class PortalResource {
    /**
     * Nothing is loaded from elsewhere. The one inline script (the Copy buttons) runs by its hash (CSP
     * Level 3 hash-source), so that markup injected into a page could run no script of its own; styles
     * stay inline.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; script-src '"
            + PortalScript.hashSource() + "'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    private static final String HTML = MediaType.TEXT_HTML + ";charset=UTF-8";

    private final Registry registry;
    private final PortcullisConfig config;
    private final AccessTokenIssuer issuer;
    private final PortalTemplates templates;

    public PortalResource(Registry registry, PortcullisConfig config, AccessTokenIssuer issuer, PortalTemplates templates) {
        this.registry = registry;
        this.config = config;
        this.issuer = issuer;
        this.templates = templates;
    }

    @GET
    public Response index() {
        RegistrySnapshot snapshot = registry.snapshot();
        List<ApiPage.Summary> apis = snapshot.apis().values().stream()
                .filter(api -> ApiPage.listed(api, snapshot.authMethods()))
                .sorted(Comparator.comparing(ApiView::name, String.CASE_INSENSITIVE_ORDER).thenComparing(ApiView::id))
                .map(api -> ApiPage.summary(api, config))
                .toList();
        return page(Response.ok(), templates.render("PortalResource/index", Map.of("apis", apis, "portalUrl", ApiPage.indexUrl(config))));
    }

    @GET
    @Path("apis/{apiId}")
    public Response api(@PathParam("apiId") String apiId) {
        RegistrySnapshot snapshot = registry.snapshot();
        ApiView api = snapshot.apis().get(apiId);
        // the built-in admin API is for operators: no page, as for an API that does not exist
        if (api == null || io.portcullis.registry.RegistryRules.BUILTIN_ADMIN_API.equals(api.id())) {
            return page(Response.status(Response.Status.NOT_FOUND),
                    templates.render("PortalResource/missing", Map.of("apiId", apiId, "portalUrl", ApiPage.indexUrl(config))));
        }
        return page(Response.ok(), templates.render("PortalResource/api",
                Map.of("page", ApiPage.of(api, snapshot.authMethods().values(), config, issuer))));
    }

    private static Response page(Response.ResponseBuilder response, String html) {
        return response.entity(html)
                .type(HTML)
                .header("Cache-Control", "no-cache")
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "no-referrer")
                .header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .build();
    }
}
