package io.pgwalstream.replication;

import io.pgwalstream.protocol.Lsn;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Reads {@link SlotInfo} from {@code pg_replication_slots}. The view grows with the server: {@code
 * conflicting} came in 16, {@code failover} and {@code invalidation_reason} in 17. Older servers
 * get typed constants in their place, so one row reader serves every version.
 */
final class SlotInfoQuery {

    private SlotInfoQuery() {}

    /** The query for one slot, with its name as the only parameter. */
    static String sql(ServerVersion server) {
        int major = server.major();
        String conflicting = major >= 16 ? "conflicting" : "NULL::boolean AS conflicting";
        String failover = major >= 17 ? "failover" : "false AS failover";
        String invalidation =
                major >= 17 ? "invalidation_reason" : "NULL::text AS invalidation_reason";
        return "SELECT slot_name, plugin, slot_type, database, temporary, active, active_pid,"
                + " restart_lsn::text, confirmed_flush_lsn::text, wal_status, safe_wal_size,"
                + " two_phase, "
                + failover
                + ", "
                + conflicting
                + ", "
                + invalidation
                + " FROM pg_catalog.pg_replication_slots WHERE slot_name = ?";
    }

    /** The row of {@code slotName}, if the server has that slot. */
    static Optional<SlotInfo> find(Connection connection, ServerVersion server, String slotName)
            throws SQLException {
        try (PreparedStatement s = connection.prepareStatement(sql(server))) {
            s.setString(1, slotName);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    static SlotInfo read(ResultSet row) throws SQLException {
        return new SlotInfo(
                row.getString("slot_name"),
                row.getString("plugin"),
                SlotType.parse(row.getString("slot_type")),
                row.getString("database"),
                row.getBoolean("temporary"),
                row.getBoolean("active"),
                row.getObject("active_pid", Integer.class),
                lsn(row.getString("restart_lsn")),
                lsn(row.getString("confirmed_flush_lsn")),
                row.getString("wal_status"),
                row.getObject("safe_wal_size", Long.class),
                row.getBoolean("two_phase"),
                row.getBoolean("failover"),
                row.getObject("conflicting", Boolean.class),
                row.getString("invalidation_reason"));
    }

    private static Lsn lsn(String text) {
        return text == null ? Lsn.INVALID : Lsn.parse(text);
    }
}
