package io.portcullis.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.List;
import java.util.Map;

/**
 * A trusted issuer as the admin API, the declarative file and {@link TrustedIssuerService} read and
 * write it (docs/contract.md#federated-workload-identity). Exactly one key source: {@code jwksUri},
 * {@code jwks} (a JWK set, as JSON), or {@code discovery}. Code builds one with {@link #builder(String)}.
 */
public record TrustedIssuerDefinition(String id, String issuer, String jwksUri, Map<String, Object> jwks, Boolean discovery,
                                      List<String> audiences, Integer maxTokenLifetimeSeconds, String caFile,
                                      String bearerTokenFile) {
    private static final ObjectMapper JSON = new ObjectMapper();

    static TrustedIssuerDefinition of(TrustedIssuer t) {
        return builder(t.id).issuer(t.issuer).jwksUri(t.jwksUri).jwks(parse(t.jwks)).discovery(t.discovery)
                .audiences(List.copyOf(t.audiences)).maxTokenLifetimeSeconds(t.maxTokenLifetimeSeconds).caFile(t.caFile)
                .bearerTokenFile(t.bearerTokenFile).build();
    }

    /** The inline JWK set as JSON text, or null. */
    public String jwksJson() {
        try {
            return jwks == null ? null : JSON.writeValueAsString(jwks);
        } catch (JsonProcessingException e) {
            throw RegistryException.invalid("jwks", "jwks is not a JWK set");
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parse(String json) {
        try {
            return json == null ? null : JSON.readValue(json, Map.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored JWK set is unreadable", e);
        }
    }

    public static Builder builder(String id) {
        return new Builder().id(id);
    }

    public static final class Builder {
        private String id;
        private String issuer;
        private String jwksUri;
        private Map<String, Object> jwks;
        private Boolean discovery;
        private List<String> audiences;
        private Integer maxTokenLifetimeSeconds;
        private String caFile;
        private String bearerTokenFile;

        private Builder() {
        }

        public Builder id(String v) { id = v; return this; }
        public Builder issuer(String v) { issuer = v; return this; }
        public Builder jwksUri(String v) { jwksUri = v; return this; }
        public Builder jwks(Map<String, Object> v) { jwks = v; return this; }
        public Builder discovery(Boolean v) { discovery = v; return this; }
        public Builder audiences(List<String> v) { audiences = v; return this; }
        public Builder audiences(String... v) { return audiences(List.of(v)); }
        public Builder maxTokenLifetimeSeconds(Integer v) { maxTokenLifetimeSeconds = v; return this; }
        public Builder caFile(String v) { caFile = v; return this; }
        public Builder bearerTokenFile(String v) { bearerTokenFile = v; return this; }

        public TrustedIssuerDefinition build() {
            return new TrustedIssuerDefinition(id, issuer, jwksUri, jwks, discovery, audiences, maxTokenLifetimeSeconds, caFile,
                    bearerTokenFile);
        }
    }
}
