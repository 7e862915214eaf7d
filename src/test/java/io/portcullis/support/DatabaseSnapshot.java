package io.portcullis.support;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A digest of every table's rows, to prove that a refused request changed nothing. The tables are
 * read from the database, so that a table added later is covered without anyone remembering it; left
 * out are only those a refusal is allowed to write (docs/contract.md#token-endpoint: one audit record,
 * and the failed-authentication counts), and Flyway's history.
 */
public final class DatabaseSnapshot {
    static final java.util.Set<String> WRITTEN_BY_REFUSALS = java.util.Set.of("audit_event", "failed_authentication");

    private DatabaseSnapshot() {
    }

    static List<String> tables(Connection connection) throws SQLException {
        List<String> tables = new java.util.ArrayList<>();
        try (ResultSet rs = connection.createStatement().executeQuery(
                "select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' "
                        + "and table_name <> 'flyway_schema_history' order by table_name")) {
            while (rs.next()) {
                if (!WRITTEN_BY_REFUSALS.contains(rs.getString(1))) {
                    tables.add(rs.getString(1));
                }
            }
        }
        if (tables.size() < 10) {
            throw new IllegalStateException("the schema has fewer tables than the registry alone: " + tables);
        }
        return tables;
    }

    public static Map<String, String> take(DataSource dataSource) {
        Map<String, String> digests = new LinkedHashMap<>();
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            for (String table : tables(connection)) {
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
