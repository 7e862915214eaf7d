package io.portcullis.registry;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

/**
 * Tells a database that cannot be reached (answered with 503 and a retry) from a fault of ours
 * (a bug, answered with 500): only connection failures count, never a constraint or a query error.
 */
public final class DatabaseFailures {
    private DatabaseFailures() {
    }

    public static boolean isUnreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof org.hibernate.exception.JDBCConnectionException || t instanceof SQLTransientConnectionException) {
                return true;
            }
            if (t instanceof SQLException sql) {
                // SQLSTATE class 08: connection exception; Agroal's pool timeout carries no state
                String state = sql.getSQLState();
                if ((state != null && state.startsWith("08"))
                        || (sql.getMessage() != null && sql.getMessage().contains("acquisition timeout"))) {
                    return true;
                }
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
