package io.portcullis.support;

import io.portcullis.dev.EmbeddedPostgresLauncher;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.net.URI;
import java.util.Map;

/** Puts a {@link TcpProxy} between the application and whichever PostgreSQL the tests use. */
public class DatabaseProxyResource implements QuarkusTestResourceLifecycleManager {
    private TcpProxy proxy;

    @Override
    public Map<String, String> start() {
        String url = System.getenv("QUARKUS_DATASOURCE_JDBC_URL");
        String user = System.getenv().getOrDefault("QUARKUS_DATASOURCE_USERNAME", "postgres");
        String password = System.getenv().getOrDefault("QUARKUS_DATASOURCE_PASSWORD", "postgres");
        if (url == null) {
            url = EmbeddedPostgresLauncher.startOnce("test").get("quarkus.datasource.jdbc.url");
        }
        URI target = URI.create(url.substring("jdbc:".length()));
        try {
            proxy = new TcpProxy(target.getHost(), target.getPort() < 0 ? 5432 : target.getPort()).asSwitch();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        String proxied = "jdbc:postgresql://127.0.0.1:" + proxy.port() + target.getRawPath()
                + (target.getRawQuery() == null ? "" : "?" + target.getRawQuery());
        return Map.of("quarkus.datasource.jdbc.url", proxied,
                "quarkus.datasource.username", user,
                "quarkus.datasource.password", password);
    }

    @Override
    public void stop() {
        if (proxy != null) {
            proxy.close();
        }
    }
}
