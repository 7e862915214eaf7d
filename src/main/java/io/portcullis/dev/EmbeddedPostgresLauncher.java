package io.portcullis.dev;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/** Kept apart from the factory so that the zonky classes are loaded only when they are on the class path. */
public final class EmbeddedPostgresLauncher {
    private EmbeddedPostgresLauncher() {
    }

    public static synchronized Map<String, String> startOnce(String profile) {
        String key = "io.portcullis.embedded-postgres." + profile + ".url";
        String url = System.getProperty(key);
        if (url == null) {
            try {
                EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
                url = postgres.getJdbcUrl("postgres", "postgres");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        postgres.close();
                    } catch (IOException ignored) {
                        // the JVM is going away; zonky reaps orphans on its next start
                    }
                }, "embedded-postgres-stop"));
                System.setProperty(key, url);
                System.out.println("Portcullis: no datasource URL is configured, so an embedded PostgreSQL was started for the "
                        + profile + " profile at " + url);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the embedded PostgreSQL", e);
            }
        }
        return Map.of(
                "quarkus.datasource.jdbc.url", url,
                "quarkus.datasource.username", "postgres",
                "quarkus.datasource.password", "postgres");
    }
}
