package io.portcullis.admin;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.portcullis.registry.ClientType;
import io.portcullis.registry.ScopeMode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The declarative registry file (CONTRACT section 6): auth methods, plans, APIs, applications and
 * subscriptions, in YAML or JSON. Reading it refuses unknown fields and names the place of any error.
 */
public final class ConfigFile {
    private ConfigFile() {
    }

    @JsonIgnoreProperties(ignoreUnknown = false)
    public record Model(List<AdminModels.AuthMethodDoc> authMethods, List<AdminModels.PlanDoc> plans, List<AdminModels.ApiDoc> apis,
                        List<ApplicationEntry> applications, List<SubscriptionEntry> subscriptions) {
    }

    public record ApplicationEntry(String id, String name, String description, ClientType clientType) {
    }

    /**
     * A subscription, approved, with credentials given as a stored hash ({@code sha256$…}) or as the
     * name of an environment variable holding the secret; never the secret itself.
     */
    public record SubscriptionEntry(String application, String api, String plan, Boolean trusted, ScopeMode allowedScopesMode,
                                    List<String> allowedScopes, String clientId, String clientSecretHash, String clientSecretEnv) {
        @Override
        public String toString() {
            return "SubscriptionEntry[" + application + " -> " + api + "]";
        }
    }

    /** A file that cannot be applied; the message names the place in the file. */
    public static class ConfigFileException extends RuntimeException {
        public ConfigFileException(String message) {
            super(message, null, false, false);
        }
    }

    public static Model read(Path file) {
        String name = file.getFileName().toString().toLowerCase();
        ObjectMapper mapper = (name.endsWith(".json") ? new ObjectMapper() : new ObjectMapper(new YAMLFactory()))
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        try {
            Model model = mapper.readValue(Files.readAllBytes(file), Model.class);
            if (model == null) {
                throw new ConfigFileException(file + ": the file is empty");
            }
            return model;
        } catch (JsonMappingException e) {
            throw new ConfigFileException(file + ": " + place(e) + describe(e) + at(e.getLocation()));
        } catch (JsonProcessingException e) {
            throw new ConfigFileException(file + ": not valid " + (name.endsWith(".json") ? "JSON" : "YAML") + at(e.getLocation()));
        } catch (IOException e) {
            throw new ConfigFileException(file + ": cannot be read (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static String place(JsonMappingException e) {
        if (e.getPath().isEmpty()) {
            return "";
        }
        return e.getPath().stream().map(r -> r.getFieldName() != null ? "." + r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining()).substring(1) + ": ";
    }

    private static String describe(JsonMappingException e) {
        if (e instanceof com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException u) {
            return "unknown field '" + u.getPropertyName() + "'";
        }
        String original = e.getOriginalMessage() == null ? "" : e.getOriginalMessage().split("\n")[0];
        return "a value has the wrong type or form (" + (original.length() > 160 ? original.substring(0, 160) + "…" : original) + ")";
    }

    private static String at(JsonLocation location) {
        return location == null || location.getLineNr() < 0 ? "" : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }
}
