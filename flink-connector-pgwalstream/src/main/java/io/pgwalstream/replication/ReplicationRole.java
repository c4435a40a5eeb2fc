package io.pgwalstream.replication;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Whether the connecting role may open replication connections at all. Asked over a plain SQL
 * connection, which any role can open, so a role without the attribute gets the {@code ALTER ROLE}
 * that fixes it instead of the walsender's bare "permission denied" once a slot is wanted. The
 * attribute is not inherited through role membership, so only the role itself counts.
 */
public final class ReplicationRole {

    /** SQLSTATE insufficient_privilege, as the walsender would report it. */
    static final String INSUFFICIENT_PRIVILEGE = "42501";

    private ReplicationRole() {}

    /**
     * @throws ReplicationException naming the role and the {@code ALTER ROLE … REPLICATION} to run,
     *     if the role has neither REPLICATION nor SUPERUSER
     */
    public static void require(Connection sql) throws SQLException {
        try (Statement s = sql.createStatement();
                ResultSet rs =
                        s.executeQuery(
                                "SELECT current_user, rolreplication OR rolsuper"
                                        + " FROM pg_roles WHERE rolname = current_user")) {
            if (!rs.next()) {
                // pg_roles always lists the current role; nothing to judge if it does not.
                return;
            }
            String role = rs.getString(1);
            if (!rs.getBoolean(2)) {
                throw new ReplicationException(
                        "The role "
                                + SqlIdentifier.quote(role)
                                + " has neither the REPLICATION attribute nor SUPERUSER, so"
                                + " PostgreSQL refuses it the replication connection that reads"
                                + " changes and creates slots. Run ALTER ROLE "
                                + SqlIdentifier.quote(role)
                                + " REPLICATION (as a superuser), or connect as a role that has"
                                + " it.",
                        INSUFFICIENT_PRIVILEGE,
                        null);
            }
        }
    }
}
