package io.pgwalstream.replication;

/** The kind of a replication slot, as {@code pg_replication_slots.slot_type} names it. */
public enum SlotType {
    LOGICAL,
    PHYSICAL;

    /** Parses {@code logical} or {@code physical}. */
    public static SlotType parse(String text) {
        if ("logical".equals(text)) {
            return LOGICAL;
        }
        if ("physical".equals(text)) {
            return PHYSICAL;
        }
        throw new IllegalArgumentException(
                "Unknown replication slot type '" + text + "': expected logical or physical");
    }
}
