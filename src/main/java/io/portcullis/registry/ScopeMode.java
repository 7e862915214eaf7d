package io.portcullis.registry;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/** Which of the API's scopes a subscription may be granted. */
public enum ScopeMode {
    ALL("all"),
    NONE("none"),
    SELECT("select");

    private final String value;

    ScopeMode(String value) {
        this.value = value;
    }

    @JsonValue
    public String value() {
        return value;
    }

    @JsonCreator
    public static ScopeMode of(String value) {
        for (ScopeMode mode : values()) {
            if (mode.value.equals(value)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("allowedScopesMode must be one of all, none, select");
    }

    @Converter(autoApply = true)
    public static class JpaConverter implements AttributeConverter<ScopeMode, String> {
        @Override
        public String convertToDatabaseColumn(ScopeMode mode) {
            return mode == null ? null : mode.value;
        }

        @Override
        public ScopeMode convertToEntityAttribute(String value) {
            return value == null ? null : of(value);
        }
    }
}
