package io.portcullis.support;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A digest of every table's rows, to prove that a refused request changed nothing. */
public final class DatabaseSnapshot {
    private static final List<String> TABLES = List.of("auth_method", "api", "api_auth_method", "api_scope", "api_route",
            "api_route_scope", "plan", "api_plan", "application", "subscription", "subscription_scope", "signing_key",
            "registry_version", "revoked_token", "used_assertion", "dpop_proof_jti");

    private DatabaseSnapshot() {
    }

    public static Map<String, String> take(DataSource dataSource) {
        Map<String, String> digests = new LinkedHashMap<>();
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            for (String table : TABLES) {
                try (ResultSet rs = statement.executeQuery(
                        "select count(*) || ':' || coalesce(md5(string_agg(t::text, ',' order by t::text)), '') from " + table + " t")) {
                    rs.next();
                    digests.put(table, rs.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return digests;
    }
}
