package io.pgwalstream.protocol;

import java.util.List;
import java.util.Objects;

/**
 * {@code 'R'}: the shape of a published table, sent before its first change in each walsender
 * session and again after it changes.
 *
 * @param xid the streamed (sub)transaction inside a stream block, else {@link #NO_XID}
 * @param relationOid the table's OID, referenced by later DML
 * @param namespace schema name; empty means {@code pg_catalog}
 * @param relationName table name
 * @param replicaIdentity the table's REPLICA IDENTITY
 * @param columns the published columns, in TupleData order
 */
public record Relation(
        int xid,
        int relationOid,
        String namespace,
        String relationName,
        ReplicaIdentity replicaIdentity,
        List<RelationColumn> columns)
        implements StreamableMessage {

    public static final byte TAG = 'R';

    public Relation {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(relationName, "relationName");
        Objects.requireNonNull(replicaIdentity, "replicaIdentity");
        columns = List.copyOf(columns);
    }

    @Override
    public byte tag() {
        return TAG;
    }
}
