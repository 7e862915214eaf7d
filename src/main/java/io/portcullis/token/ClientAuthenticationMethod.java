package io.portcullis.token;

/** Client authentication methods, named as RFC 7591 section 2 registers them. */
public enum ClientAuthenticationMethod {
    CLIENT_SECRET_BASIC("client_secret_basic"),
    CLIENT_SECRET_POST("client_secret_post"),
    PRIVATE_KEY_JWT("private_key_jwt"),
    NONE("none");

    public final String value;

    ClientAuthenticationMethod(String value) {
        this.value = value;
    }
}
