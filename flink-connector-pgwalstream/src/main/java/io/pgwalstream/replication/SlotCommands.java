package io.pgwalstream.replication;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds {@code CREATE_REPLICATION_SLOT}, {@code ALTER_REPLICATION_SLOT} and {@code
 * DROP_REPLICATION_SLOT} in the grammar the server understands: the legacy keyword form on
 * PostgreSQL 14, the parenthesised option list on 15+. Features the server lacks fail with {@link
 * UnsupportedServerFeatureException} before anything is sent.
 */
final class SlotCommands {

    private SlotCommands() {}

    public static String createLogical(LogicalSlotSpec spec, ServerVersion server) {
        if (spec.twoPhase()) {
            server.require(ReplicationFeature.TWO_PHASE);
        }
        if (spec.failover()) {
            server.require(ReplicationFeature.FAILOVER_SLOTS);
        }
        StringBuilder sql = header(spec.name(), spec.temporary());
        sql.append(" LOGICAL ").append(ReplicationSyntax.identifier(LogicalSlotSpec.PLUGIN));
        if (!server.supports(ReplicationFeature.PARENTHESIZED_SLOT_OPTIONS)) {
            // PostgreSQL 14: one keyword at most, and TWO_PHASE/FAILOVER were rejected above.
            return sql.append(' ').append(spec.snapshot().legacyKeyword()).toString();
        }
        List<String> options = new ArrayList<>();
        options.add("SNAPSHOT " + spec.snapshot().optionValue());
        if (spec.twoPhase()) {
            options.add("TWO_PHASE true");
        }
        if (spec.failover()) {
            options.add("FAILOVER true");
        }
        return sql.append(" (").append(String.join(", ", options)).append(')').toString();
    }

    public static String createPhysical(PhysicalSlotSpec spec, ServerVersion server) {
        StringBuilder sql = header(spec.name(), spec.temporary()).append(" PHYSICAL");
        if (!spec.reserveWal()) {
            return sql.toString();
        }
        return server.supports(ReplicationFeature.PARENTHESIZED_SLOT_OPTIONS)
                ? sql.append(" (RESERVE_WAL true)").toString()
                : sql.append(" RESERVE_WAL").toString();
    }

    /** {@code ALTER_REPLICATION_SLOT … (FAILOVER true)} (PostgreSQL 17+). */
    public static String enableFailover(String slotName, ServerVersion server) {
        server.require(ReplicationFeature.FAILOVER_SLOTS);
        return "ALTER_REPLICATION_SLOT "
                + ReplicationSyntax.identifier(SlotName.validate(slotName))
                + " (FAILOVER true)";
    }

    /**
     * With {@code WAIT}, the command waits for an active slot to be released instead of failing.
     */
    public static String drop(String slotName, boolean waitUntilInactive) {
        String sql =
                "DROP_REPLICATION_SLOT "
                        + ReplicationSyntax.identifier(SlotName.validate(slotName));
        return waitUntilInactive ? sql + " WAIT" : sql;
    }

    private static StringBuilder header(String name, boolean temporary) {
        StringBuilder sql =
                new StringBuilder("CREATE_REPLICATION_SLOT ")
                        .append(ReplicationSyntax.identifier(name));
        if (temporary) {
            sql.append(" TEMPORARY");
        }
        return sql;
    }
}
