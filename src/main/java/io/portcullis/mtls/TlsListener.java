package io.portcullis.mtls;

import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.TrustOptions;
import jakarta.enterprise.context.ApplicationScoped;

import javax.net.ssl.X509TrustManager;
import java.security.cert.X509Certificate;

/**
 * The HTTPS listener (Quarkus's, configured by the TLS registry's {@code quarkus.tls.*} keys) asks every
 * caller for a client certificate and requires none (docs/contract.md#mutual-tls), unless the operator
 * chose a client-auth mode and trust store of their own. The TLS layer accepts any certificate the
 * caller proves it holds the key of; what a certificate is worth is decided per request, where the
 * registry says so: chains to the trust anchors for tls_client_auth ({@link TrustAnchors}), registered
 * keys for self_signed_tls_client_auth, and the token's {@code x5t#S256} at the gateway. A trust store
 * here would refuse self-signed certificates in the handshake, before any of that could run.
 */
@ApplicationScoped
public class TlsListener implements HttpServerOptionsCustomizer {
    /** Trusts every client certificate, and names no CA, so that clients send whichever they have. */
    static final X509TrustManager ANY_CLIENT_CERTIFICATE = new X509TrustManager() {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
            // the handshake has proved the caller holds the certificate's key; the rest is decided per request
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws java.security.cert.CertificateException {
            throw new java.security.cert.CertificateException("this trust manager checks clients only");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    };

    @Override
    public void customizeHttpsServer(HttpServerOptions options) {
        if (options.getClientAuth() == ClientAuth.NONE && options.getTrustOptions() == null) {
            options.setClientAuth(ClientAuth.REQUEST);
            options.setTrustOptions(TrustOptions.wrap(ANY_CLIENT_CERTIFICATE));
        }
    }
}
