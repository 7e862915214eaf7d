package io.portcullis.dev;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import org.eclipse.microprofile.config.spi.ConfigSource;

import java.util.List;
import java.util.OptionalInt;

/**
 * Dev mode and tests serve TLS with no setup (docs/mtls.md): unless a key store is configured, or
 * {@code portcullis.mtls.dev-listener=false}, the HTTPS listener gets a development CA's server
 * certificate for {@code localhost} ({@link DevTlsLauncher}), and {@code tls_client_auth} trusts that
 * CA. Production never comes here: the profile check stops it, and Bouncy Castle is not packaged.
 */
public class DevTlsConfigSourceFactory implements ConfigSourceFactory {
    private static final int ORDINAL = 255; // above application.properties (250), below the environment (300)

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        List<String> profiles = context.getProfiles();
        String profile = profiles.contains("test") ? "test" : profiles.contains("dev") ? "dev" : null;
        if (profile == null || "false".equalsIgnoreCase(value(context, "portcullis.mtls.dev-listener"))
                || configured(context, profile)) {
            return List.of();
        }
        try {
            Class.forName("org.bouncycastle.cert.X509v3CertificateBuilder", false, DevTlsConfigSourceFactory.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            return List.of();
        }
        return List.of(new PropertiesConfigSource(DevTlsLauncher.prepare(profile), "portcullis-dev-tls", ORDINAL));
    }

    /** An operator's own key store (any of the TLS registry's forms, as a property or an environment variable) wins. */
    private static boolean configured(ConfigSourceContext context, String profile) {
        String upper = "_" + profile.toUpperCase(java.util.Locale.ROOT) + "_QUARKUS_TLS_KEY_STORE_";
        for (var names = context.iterateNames(); names.hasNext(); ) {
            String name = names.next();
            if (name.startsWith("quarkus.tls.key-store.") || name.startsWith("%" + profile + ".quarkus.tls.key-store.")
                    || name.startsWith("QUARKUS_TLS_KEY_STORE_") || name.startsWith(upper)) {
                return true;
            }
        }
        return false;
    }

    private static String value(ConfigSourceContext context, String name) {
        ConfigValue value = context.getValue(name);
        return value == null ? null : value.getValue();
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(ORDINAL);
    }
}
