package io.portcullis.token;

/** Client authentication methods, named as RFC 7591 section 2 registers them. */
public enum ClientAuthenticationMethod {
    CLIENT_SECRET_BASIC("client_secret_basic"),
    CLIENT_SECRET_POST("client_secret_post"),
    PRIVATE_KEY_JWT("private_key_jwt"),
    /** RFC 8705 section 2.1: a certificate a trust anchor issued, with the registered name; told apart from NONE by the certificate. */
    TLS_CLIENT_AUTH("tls_client_auth"),
    /** RFC 8705 section 2.2: a certificate whose key the client registered. */
    SELF_SIGNED_TLS_CLIENT_AUTH("self_signed_tls_client_auth"),
    NONE("none");

    public final String value;

    ClientAuthenticationMethod(String value) {
        this.value = value;
    }
}
