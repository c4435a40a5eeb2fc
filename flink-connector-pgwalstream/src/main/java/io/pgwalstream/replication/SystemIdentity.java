package io.pgwalstream.replication;

import io.pgwalstream.protocol.Lsn;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The answer to {@code IDENTIFY_SYSTEM} on a replication connection.
 *
 * @param systemId the cluster's system identifier, an unsigned 64-bit number in decimal; the same
 *     on a primary and its physical standbys, different for an unrelated cluster
 * @param timeline the timeline the server is on (the one it inserts into, or replays on a standby)
 * @param xlogPos the current WAL flush position (on a standby: how far WAL was received or
 *     replayed); streaming cannot start after it
 * @param dbName the database of a logical replication connection, null for a physical one
 */
public record SystemIdentity(String systemId, long timeline, Lsn xlogPos, String dbName) {

    public static final String COMMAND = "IDENTIFY_SYSTEM";

    public SystemIdentity {
        if (systemId == null || systemId.isEmpty()) {
            throw new IllegalArgumentException("IDENTIFY_SYSTEM returned no system identifier");
        }
        if (timeline < 1) {
            throw new IllegalArgumentException(
                    "IDENTIFY_SYSTEM returned timeline " + timeline + "; timelines start at 1");
        }
        if (xlogPos == null) {
            throw new IllegalArgumentException("IDENTIFY_SYSTEM returned no WAL position");
        }
    }

    /** Builds the identity from the text columns of the {@code IDENTIFY_SYSTEM} row. */
    public static SystemIdentity parse(
            String systemId, String timeline, String xlogPos, String dbName) {
        long tli;
        try {
            tli = Long.parseLong(timeline.trim());
        } catch (NumberFormatException | NullPointerException e) {
            throw new IllegalArgumentException(
                    "IDENTIFY_SYSTEM returned timeline '" + timeline + "', not a number", e);
        }
        if (xlogPos == null) {
            throw new IllegalArgumentException("IDENTIFY_SYSTEM returned no WAL position");
        }
        return new SystemIdentity(systemId, tli, Lsn.parse(xlogPos.trim()), dbName);
    }

    /** Runs {@code IDENTIFY_SYSTEM} on a (logical or physical) replication connection. */
    public static SystemIdentity read(Connection replicationConnection) throws SQLException {
        try (Statement s = replicationConnection.createStatement();
                ResultSet rs = s.executeQuery(COMMAND)) {
            if (!rs.next()) {
                throw new SQLException("IDENTIFY_SYSTEM returned no row");
            }
            return parse(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4));
        }
    }
}
