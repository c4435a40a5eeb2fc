package io.pgwalstream.replication;

/** What a new logical slot does with the snapshot at its consistent point. */
public enum SnapshotAction {
    /** Export it for {@code SET TRANSACTION SNAPSHOT} in other sessions (server default). */
    EXPORT("'export'", "EXPORT_SNAPSHOT"),
    /** Install it in the current transaction of the creating connection. */
    USE("'use'", "USE_SNAPSHOT"),
    /** No snapshot: cheapest, no transaction restrictions. */
    NOTHING("'nothing'", "NOEXPORT_SNAPSHOT");

    private final String optionValue;
    private final String legacyKeyword;

    SnapshotAction(String optionValue, String legacyKeyword) {
        this.optionValue = optionValue;
        this.legacyKeyword = legacyKeyword;
    }

    String optionValue() {
        return optionValue;
    }

    String legacyKeyword() {
        return legacyKeyword;
    }
}
