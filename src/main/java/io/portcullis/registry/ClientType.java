package io.portcullis.registry;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/** RFC 6749 section 2.1 client types, in wicked's spelling. */
public enum ClientType {
    CONFIDENTIAL("confidential"),
    PUBLIC_SPA("public_spa"),
    PUBLIC_NATIVE("public_native");

    private final String value;

    ClientType(String value) {
        this.value = value;
    }

    @JsonValue
    public String value() {
        return value;
    }

    /** Only confidential clients can keep a secret, so only they may use the client credentials grant (RFC 6749 section 4.4). */
    public boolean isConfidential() {
        return this == CONFIDENTIAL;
    }

    @JsonCreator
    public static ClientType of(String value) {
        for (ClientType type : values()) {
            if (type.value.equals(value)) {
                return type;
            }
        }
        throw new IllegalArgumentException("clientType must be one of confidential, public_spa, public_native");
    }

    @Converter(autoApply = true)
    public static class JpaConverter implements AttributeConverter<ClientType, String> {
        @Override
        public String convertToDatabaseColumn(ClientType type) {
            return type == null ? null : type.value;
        }

        @Override
        public ClientType convertToEntityAttribute(String value) {
            return value == null ? null : of(value);
        }
    }
}
