package io.pgwalstream.snapshot;

import io.pgwalstream.changes.RelationSchema;
import io.pgwalstream.protocol.Relation;
import io.pgwalstream.protocol.RelationColumn;
import io.pgwalstream.protocol.ReplicaIdentity;
import io.pgwalstream.replication.TableName;

import java.util.List;
import java.util.Objects;

/**
 * What the snapshot of one table reads, as its publication publishes it at the snapshot: the
 * columns pgoutput would send (in the same order, with the same key flags), the row filter, and the
 * column the table is chunked by.
 *
 * @param relationOid the table's OID, as in the stream's Relation messages
 * @param columns the published columns in attribute order; generated columns are not published
 * @param chunkKey what chunks are ranges of
 * @param rowFilter the publication's row filter (PostgreSQL 15+) as SQL text, or null
 */
public record SnapshotTable(
        TableName name,
        int relationOid,
        ReplicaIdentity replicaIdentity,
        List<RelationColumn> columns,
        ChunkKey chunkKey,
        String rowFilter) {

    public SnapshotTable {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(replicaIdentity, "replicaIdentity");
        Objects.requireNonNull(chunkKey, "chunkKey");
        columns = List.copyOf(columns);
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("Table " + name + " publishes no columns");
        }
    }

    /** The Relation message the stream would carry for this table. */
    public Relation relation() {
        return new Relation(0, relationOid, name.schema(), name.table(), replicaIdentity, columns);
    }

    public RelationSchema schema() {
        return RelationSchema.of(relation());
    }
}
