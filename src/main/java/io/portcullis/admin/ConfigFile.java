package io.portcullis.admin;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.smallrye.common.expression.Expression;
import io.portcullis.registry.ApiDefinition;
import io.portcullis.registry.ApplicationDefinition;
import io.portcullis.registry.AuthMethodDefinition;
import io.portcullis.registry.FederatedIdentityDefinition;
import io.portcullis.registry.PlanDefinition;
import io.portcullis.registry.SubscriptionDefinition;
import io.portcullis.registry.TrustedIssuerDefinition;
import io.portcullis.registry.ScopeMode;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The declarative registry file (docs/contract.md#management): auth methods, plans, APIs, applications and
 * subscriptions, in YAML or JSON. Reading it refuses unknown fields and names the place of any error.
 * Strings may hold {@code ${name}} or {@code ${name:default}}, resolved from the configuration; names
 * that look like credentials are refused (see {@link #SECRET_NAME}).
 */
public final class ConfigFile {
    private ConfigFile() {
    }

    @JsonIgnoreProperties(ignoreUnknown = false)
    public record Model(List<AuthMethodDefinition> authMethods, List<PlanDefinition> plans, List<ApiDefinition> apis,
                        List<ApplicationDefinition> applications, List<TrustedIssuerDefinition> trustedIssuers,
                        List<SubscriptionEntry> subscriptions) {
    }

    /**
     * A subscription, approved, with credentials given as a stored hash ({@code sha256$…}) or as the
     * name of an environment variable holding the secret; never the secret itself.
     */
    public record SubscriptionEntry(String application, String api, String plan, Boolean trusted, ScopeMode allowedScopesMode,
                                    List<String> allowedScopes, String clientId, String clientSecretHash, String clientSecretEnv,
                                    List<FederatedIdentityDefinition> federatedIdentities, java.util.Map<String, Object> tokenClaims,
                                    Integer tokenLifetimeSeconds, io.portcullis.registry.TlsClientAuthDefinition tlsClientAuth) {
        SubscriptionDefinition definition() {
            return new SubscriptionDefinition(application, api, plan, trusted, allowedScopesMode, allowedScopes, tokenClaims,
                    tokenLifetimeSeconds);
        }

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

    /** Where a file may come from: a path (relative to the working directory), or {@code classpath:name}. */
    public static final String CLASSPATH = "classpath:";

    /** Reads a file, resolving {@code ${name}} and {@code ${name:default}} in its strings with {@code lookup}. */
    public static Model read(String location, Function<String, Optional<String>> lookup) {
        String name = location.toLowerCase(Locale.ROOT);
        ObjectMapper mapper = (name.endsWith(".json") ? new ObjectMapper() : new ObjectMapper(new YAMLFactory()))
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        try (JsonParser parser = new Expressions(mapper.getFactory().createParser(bytes(location)), lookup)) {
            Model model = mapper.readValue(parser, Model.class);
            if (model == null) {
                throw new ConfigFileException(location + ": the file is empty");
            }
            return model;
        } catch (JsonMappingException e) {
            if (e.getCause() instanceof UnresolvedExpression u) {
                throw new ConfigFileException(location + ": " + place(e) + u.getOriginalMessage() + at(u.getLocation()));
            }
            throw new ConfigFileException(location + ": " + place(e) + describe(e) + at(e.getLocation()));
        } catch (UnresolvedExpression e) {
            throw new ConfigFileException(location + ": " + e.getOriginalMessage() + at(e.getLocation()));
        } catch (JsonProcessingException e) {
            throw new ConfigFileException(location + ": not valid " + (name.endsWith(".json") ? "JSON" : "YAML") + at(e.getLocation()));
        } catch (IOException e) {
            throw new ConfigFileException(location + ": cannot be read (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static byte[] bytes(String location) throws IOException {
        if (location.startsWith(CLASSPATH)) {
            String resource = location.substring(CLASSPATH.length());
            try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new java.io.FileNotFoundException(resource);
                }
                return in.readAllBytes();
            }
        }
        return Files.readAllBytes(Path.of(location));
    }

    /** A {@code ${name}} that the configuration does not define and that has no default. */
    static final class UnresolvedExpression extends JsonProcessingException {
        UnresolvedExpression(String message, JsonLocation location) {
            super(message, location);
        }
    }

    /**
     * Resolves {@code ${name}} and {@code ${name:default}} inside string values as they are read, so
     * that a value from the configuration is data and never YAML (it cannot add fields or entries),
     * and every error still names its line.
     */
    static final class Expressions extends JsonParserDelegate {
        private final Function<String, Optional<String>> lookup;

        Expressions(JsonParser parser, Function<String, Optional<String>> lookup) {
            super(parser);
            this.lookup = lookup;
        }

        @Override
        public String getText() throws IOException {
            String text = super.getText();
            return hasToken(JsonToken.VALUE_STRING) ? expand(text) : text;
        }

        @Override
        public String getValueAsString() throws IOException {
            return hasToken(JsonToken.VALUE_STRING) ? getText() : super.getValueAsString();
        }

        @Override
        public String getValueAsString(String defaultValue) throws IOException {
            return hasToken(JsonToken.VALUE_STRING) ? getText() : super.getValueAsString(defaultValue);
        }

        @Override
        public char[] getTextCharacters() throws IOException {
            return hasToken(JsonToken.VALUE_STRING) ? getText().toCharArray() : super.getTextCharacters();
        }

        @Override
        public int getTextLength() throws IOException {
            return hasToken(JsonToken.VALUE_STRING) ? getText().length() : super.getTextLength();
        }

        @Override
        public int getTextOffset() throws IOException {
            return hasToken(JsonToken.VALUE_STRING) ? 0 : super.getTextOffset();
        }

        /**
         * SmallRye's expression syntax, as in application.properties: {@code ${name}},
         * {@code ${name:default}} (nested), {@code $$} for a literal {@code $}. A string without
         * {@code ${} is taken as it is, so that a stored hash such as {@code sha256$…} is never read
         * as an expression.
         */
        private String expand(String text) throws UnresolvedExpression {
            if (!text.contains("${")) {
                return text;
            }
            try {
                return Expression.compile(text, Expression.Flag.NO_TRIM).evaluate((context, out) -> {
                    String name = context.getKey();
                    if (name.toLowerCase(Locale.ROOT).startsWith("quarkus")) {
                        // Quarkus's own settings may hold credentials in their values (a JDBC URL's password)
                        throw new IllegalStateException("${" + name + "} names a Quarkus setting: the registry file may read only "
                                + "portcullis.* settings and environment variables of its own");
                    }
                    if (SECRET_NAME.matcher(name).find()) {
                        throw new IllegalStateException("${" + name + "} names a secret: the registry file may not copy secrets into the "
                                + "registry, whose descriptions and URLs are shown on the portal and by the admin API");
                    }
                    Optional<String> value = lookup.apply(name);
                    if (value.isPresent()) {
                        out.append(value.get());
                    } else if (context.hasDefault()) {
                        context.expandDefault();
                    } else {
                        throw new IllegalStateException("${" + name + "} is not set in the configuration and has no default");
                    }
                });
            } catch (IllegalStateException e) {
                throw new UnresolvedExpression(e.getMessage(), getTokenLocation());
            } catch (IllegalArgumentException e) {
                throw new UnresolvedExpression("an expression is malformed (write $$ for a literal $)", getTokenLocation());
            }
        }
    }

    /** Configuration names an expression may not read: what looks like a credential. */
    static final java.util.regex.Pattern SECRET_NAME = java.util.regex.Pattern.compile(
            "(?i)secret|passw|token|credential|private|key|salt|cert|pem");

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
        // without the quoted value: it may have come from the configuration
        String original = e.getOriginalMessage() == null ? "" : e.getOriginalMessage().split("\n")[0].replaceAll("\"[^\"]*\"", "\"…\"");
        return "a value has the wrong type or form (" + (original.length() > 160 ? original.substring(0, 160) + "…" : original) + ")";
    }

    private static String at(JsonLocation location) {
        return location == null || location.getLineNr() < 0 ? "" : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }
}
