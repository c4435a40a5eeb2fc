package io.pgwalstream.replication;

/**
 * A physical slot to create.
 *
 * @param reserveWal reserve WAL from now on instead of from the first connection
 */
public record PhysicalSlotSpec(String name, boolean temporary, boolean reserveWal) {

    public PhysicalSlotSpec {
        SlotName.validate(name);
    }

    public static PhysicalSlotSpec of(String name) {
        return new PhysicalSlotSpec(name, false, true);
    }
}
