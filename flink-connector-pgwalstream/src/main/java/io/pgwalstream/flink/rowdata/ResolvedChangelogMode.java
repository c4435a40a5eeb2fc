package io.pgwalstream.flink.rowdata;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.table.connector.ChangelogMode;

/** The row kinds a table emits, decided at planning time from REPLICA IDENTITY and the DDL. */
@PublicEvolving
public enum ResolvedChangelogMode {
    /** +I, -U, +U, -D: every update carries the whole old row (REPLICA IDENTITY FULL). */
    ALL,
    /** +I, +U, -D keyed by the primary key; deletes carry the key columns only. */
    UPSERT;

    public ChangelogMode toFlink() {
        return this == ALL ? ChangelogMode.all() : ChangelogMode.upsert();
    }
}
