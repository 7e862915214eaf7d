package io.portcullis.it;

import io.portcullis.dev.EmbeddedPostgresLauncher;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.HashMap;
import java.util.Map;

/**
 * What the packaged application needs in the prod profile, which the test JVM's embedded-database
 * fallback does not reach: a datasource (the machine's, or an embedded one started here) and the
 * settings production requires.
 */
public class PackagedApplicationResource implements QuarkusTestResourceLifecycleManager {
    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>();
        String url = System.getenv("QUARKUS_DATASOURCE_JDBC_URL");
        if (url == null) {
            config.putAll(EmbeddedPostgresLauncher.startOnce("test"));
        } else {
            config.put("quarkus.datasource.jdbc.url", url);
            config.put("quarkus.datasource.username", System.getenv().getOrDefault("QUARKUS_DATASOURCE_USERNAME", "postgres"));
            config.put("quarkus.datasource.password", System.getenv().getOrDefault("QUARKUS_DATASOURCE_PASSWORD", "postgres"));
        }
        config.put("portcullis.public-url", "http://localhost:8081");
        // the management interface (/q/*) of the packaged application, on a port of the tests' own
        config.put("quarkus.management.port", Integer.toString(PackagedApplicationIT.MANAGEMENT_PORT));
        // the tests' own secret: on a shared database the signing key the tests made is already there
        config.put("portcullis.keys.encryption-secret", "test-only-key-encryption-secret-0123456789");
        config.put("portcullis.admin.client-id", "portcullis-admin-it");
        config.put("portcullis.admin.client-secret", "it-only-admin-secret-0123456789abcdefghij");
        return config;
    }

    @Override
    public void stop() {
    }
}
