package io.portcullis.dev;

import io.portcullis.config.PortcullisConfig;
import io.quarkus.arc.profile.IfBuildProfile;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The dev-mode demo (portcullis.demo.enabled). Its registry is the declarative file
 * {@code demo/portcullis-demo.yaml} on the class path (auth method default; APIs echo and whoami,
 * whose upstreams are the samples of {@code io.portcullis.sample}; application demo-app, subscribed to
 * both). This prints the demo's credentials and curl lines for the URL the server really runs at.
 * It exists only in dev mode and tests: a production build has no such bean.
 */
@ApplicationScoped
@IfBuildProfile(anyOf = {"dev", "test"})
public class DemoBanner {
    public static final String AUTH_METHOD = "default";
    public static final String APPLICATION = "demo-app";

    private final PortcullisConfig config;

    public DemoBanner(PortcullisConfig config) {
        this.config = config;
    }

    void onStart(@Observes @Priority(100) StartupEvent event) {
        if (config.demo().enabled()) {
            // dev mode only: the demo's credentials are meant to be copied from the console
            System.out.println(banner());
        }
    }

    /** What the console shows; its curl lines are run as printed by DemoWalkthroughTest. */
    public String banner() {
        String secret = config.demo().clientSecret().orElse("(the secret whose hash is in the demo file)");
        String echoClient = config.demo().clientId();
        String whoamiClient = echoClient.replace("echo", "whoami");
        String base = config.baseUrl();
        return """

                ================================ Portcullis demo ================================
                 auth method: %1$s   application: %2$s   secret of both subscriptions: %4$s
                 API echo   (scopes read, write) client id %3$s, at %5$s/echo
                 API whoami (scope read)         client id %6$s, at %5$s/whoami
                 API pages: %5$s/portal

                 Get a token:
                   curl -X POST -d 'grant_type=client_credentials&client_id=%3$s&client_secret=%4$s&scope=read' %5$s/auth/%1$s/api/echo/token

                 Call the API through the gateway with it:
                   TOKEN=$(curl -s -X POST -d 'grant_type=client_credentials&client_id=%3$s&client_secret=%4$s&scope=read' %5$s/auth/%1$s/api/echo/token | sed -E 's/.*"access_token":"([^"]+)".*/\\1/')
                   curl -H "Authorization: Bearer $TOKEN" %5$s/echo

                 A workload with no secret at all (federated identity, as a Kubernetes pod gets one): the demo
                 platform at %5$s/sample/issuer gives it a service-account token, which it trades for echo's token:
                   ASSERTION=$(curl -s %5$s/sample/issuer/token)
                   curl -X POST -d "grant_type=client_credentials&client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer&client_assertion=$ASSERTION&scope=read" %5$s/auth/%1$s/api/echo/token

                 Mutual TLS (RFC 8705): the TLS listener is %7$s, its certificate from the development CA
                 %8$s, which tls_client_auth trusts; echo's client may use a certificate it issued to
                 "CN=demo-client,O=Portcullis Demo" instead of its secret: README.md, "A client certificate".

                 The headers an upstream receives (API whoami):
                   TOKEN=$(curl -s -X POST -d 'grant_type=client_credentials&client_id=%6$s&client_secret=%4$s&scope=read' %5$s/auth/%1$s/api/whoami/token | sed -E 's/.*"access_token":"([^"]+)".*/\\1/')
                   curl -H "Authorization: Bearer $TOKEN" '%5$s/whoami/hello?x=1'
                =================================================================================
                """.formatted(AUTH_METHOD, APPLICATION, echoClient, secret, base, whoamiClient,
                config.mtls().publicUrl().orElse("(off: no quarkus.tls.key-store is configured)"),
                config.mtls().trustAnchors().map(files -> String.join(", ", files)).orElse("(none)"));
    }
}
