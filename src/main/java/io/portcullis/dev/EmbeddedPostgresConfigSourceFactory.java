package io.portcullis.dev;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import org.eclipse.microprofile.config.spi.ConfigSource;

import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Zero-setup dev mode and tests: when no datasource URL is configured in the dev or test profile,
 * start a real PostgreSQL (zonky's embedded binaries) and supply its URL. Production never comes
 * here: the profile check stops it, and the embedded binaries are not packaged.
 *
 * <p>Quarkus asks for config sources many times per JVM (launcher, build and runtime class
 * loaders, profile restarts), so the started server is remembered in a system property, one per
 * profile: continuous tests in dev mode get their own database, which they may clean.
 */
public class EmbeddedPostgresConfigSourceFactory implements ConfigSourceFactory {
    private static final int ORDINAL = 255; // above application.properties (250), below the environment (300)

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        List<String> profiles = context.getProfiles();
        String profile = profiles.contains("test") ? "test" : profiles.contains("dev") ? "dev" : null;
        if (profile == null) {
            return List.of();
        }
        ConfigValue url = context.getValue("quarkus.datasource.jdbc.url");
        if (url != null && url.getValue() != null && !url.getValue().isBlank()) {
            return List.of();
        }
        try {
            Class.forName("io.zonky.test.db.postgres.embedded.EmbeddedPostgres", false,
                    EmbeddedPostgresConfigSourceFactory.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            return List.of();
        }
        Map<String, String> properties = EmbeddedPostgresLauncher.startOnce(profile);
        return List.of(new PropertiesConfigSource(properties, "portcullis-embedded-postgres", ORDINAL));
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(ORDINAL);
    }
}
