package io.pgwalstream.flink.source.enumerator;

import io.pgwalstream.flink.source.split.SlotGroup;
import io.pgwalstream.replication.PgConnectionConfig;
import io.pgwalstream.replication.PgConnections;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds slot groups on the server by name: every pgoutput slot of the database whose name starts
 * with a prefix, paired with the publication of the same name. A slot whose publication does not
 * exist yet is not a group yet; it is found on a later round.
 */
final class SlotGroupDiscovery {

    private static final String QUERY =
            "SELECT s.slot_name FROM pg_replication_slots s"
                    + " WHERE s.slot_type = 'logical' AND s.plugin = 'pgoutput'"
                    + " AND s.database = current_database()"
                    + " AND left(s.slot_name, length(?)) = ?"
                    + " AND NOT s.temporary"
                    + " AND EXISTS (SELECT 1 FROM pg_publication p WHERE p.pubname = s.slot_name)"
                    + " ORDER BY s.slot_name";

    private final PgConnectionConfig connection;
    private final String slotPrefix;

    SlotGroupDiscovery(PgConnectionConfig connection, String slotPrefix) {
        this.connection = connection;
        this.slotPrefix = slotPrefix;
    }

    List<SlotGroup> discover() throws SQLException {
        List<SlotGroup> groups = new ArrayList<>();
        try (Connection sql = PgConnections.openSql(connection);
                PreparedStatement s = sql.prepareStatement(QUERY)) {
            s.setString(1, slotPrefix);
            s.setString(2, slotPrefix);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    String slot = rs.getString(1);
                    groups.add(new SlotGroup(slot, slot, List.of()));
                }
            }
        }
        return groups;
    }
}
