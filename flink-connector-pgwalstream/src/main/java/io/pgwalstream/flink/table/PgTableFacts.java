package io.pgwalstream.flink.table;

import io.pgwalstream.protocol.Relation;
import io.pgwalstream.protocol.RelationColumn;
import io.pgwalstream.protocol.ReplicaIdentity;
import io.pgwalstream.replication.TableName;

import org.apache.flink.annotation.Internal;

import java.util.List;
import java.util.Optional;

/**
 * What the catalog says about one published table at planning time.
 *
 * @param partitioned whether it is a partitioned table (its rows live in partitions)
 * @param primaryKey the primary key's columns in key order; empty if the table has none
 * @param identityIndex the columns of the REPLICA IDENTITY USING INDEX index; empty otherwise
 * @param columns the columns pgoutput publishes (no dropped or generated ones), in attribute order,
 *     flagged as key when they belong to the replica identity
 */
@Internal
public record PgTableFacts(
        TableName name,
        int oid,
        boolean partitioned,
        ReplicaIdentity replicaIdentity,
        List<String> primaryKey,
        List<String> identityIndex,
        List<RelationColumn> columns)
        implements java.io.Serializable {

    public PgTableFacts {
        primaryKey = List.copyOf(primaryKey);
        identityIndex = List.copyOf(identityIndex);
        columns = List.copyOf(columns);
    }

    /** The columns an UPDATE's or DELETE's old row identifies the row by; empty if none. */
    public List<String> identityColumns() {
        switch (replicaIdentity) {
            case FULL:
                return columns.stream().map(RelationColumn::name).toList();
            case DEFAULT:
                return primaryKey;
            case INDEX:
                return identityIndex;
            default:
                return List.of();
        }
    }

    public Optional<RelationColumn> column(String columnName) {
        return columns.stream().filter(c -> c.name().equals(columnName)).findFirst();
    }

    /** The Relation message the server will send for this table, as far as the catalog tells. */
    public Relation asRelation() {
        return new Relation(-1, oid, name.schema(), name.table(), replicaIdentity, columns);
    }

    /** {@code ALTER TABLE … REPLICA IDENTITY FULL} for this table. */
    public String replicaIdentityFullDdl() {
        return "ALTER TABLE " + name.quoted() + " REPLICA IDENTITY FULL";
    }

    /** How the setting is spelled in SQL: FULL, DEFAULT, NOTHING, USING INDEX. */
    public String replicaIdentitySql() {
        return replicaIdentity == ReplicaIdentity.INDEX ? "USING INDEX" : replicaIdentity.name();
    }
}
