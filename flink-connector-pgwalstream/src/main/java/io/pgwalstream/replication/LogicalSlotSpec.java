package io.pgwalstream.replication;

/**
 * A logical slot to create with the pgoutput plugin.
 *
 * @param failover synchronise the slot to physical standbys (PostgreSQL 17+, never temporary)
 */
public record LogicalSlotSpec(
        String name,
        boolean temporary,
        SnapshotAction snapshot,
        boolean twoPhase,
        boolean failover) {

    public static final String PLUGIN = "pgoutput";

    public LogicalSlotSpec {
        SlotName.validate(name);
        if (snapshot == null) {
            throw new IllegalArgumentException("snapshot action is required");
        }
        if (failover && temporary) {
            throw new IllegalArgumentException(
                    "Slot '" + name + "': a temporary slot cannot be a failover slot");
        }
    }

    /** A permanent slot without snapshot, two-phase or failover. */
    public static LogicalSlotSpec of(String name) {
        return new LogicalSlotSpec(name, false, SnapshotAction.NOTHING, false, false);
    }

    public LogicalSlotSpec withTemporary(boolean value) {
        return new LogicalSlotSpec(name, value, snapshot, twoPhase, failover);
    }

    public LogicalSlotSpec withSnapshot(SnapshotAction value) {
        return new LogicalSlotSpec(name, temporary, value, twoPhase, failover);
    }

    public LogicalSlotSpec withTwoPhase(boolean value) {
        return new LogicalSlotSpec(name, temporary, snapshot, value, failover);
    }

    public LogicalSlotSpec withFailover(boolean value) {
        return new LogicalSlotSpec(name, temporary, snapshot, twoPhase, value);
    }
}
