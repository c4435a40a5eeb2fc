package io.pgwalstream.changes;

import io.pgwalstream.protocol.Relation;
import io.pgwalstream.protocol.RelationColumn;
import io.pgwalstream.protocol.ReplicaIdentity;
import io.pgwalstream.protocol.TypeMessage;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A table as announced by a Relation message, with the user-defined types (Type messages) its
 * columns use. Immutable; shared by all events of the table until the server announces a new shape.
 *
 * @param relation the Relation message: OID, schema, name, replica identity, columns (names, type
 *     OIDs, typmods, key flags)
 * @param columnTypes per column, the Type message announced for its type OID, or null for built-in
 *     types (PostgreSQL announces only OIDs from 10000 on); same size as the column list
 */
public record RelationSchema(Relation relation, List<TypeMessage> columnTypes) {

    public RelationSchema {
        Objects.requireNonNull(relation, "relation");
        if (columnTypes.size() != relation.columns().size()) {
            throw new IllegalArgumentException(
                    "columnTypes has "
                            + columnTypes.size()
                            + " entries for "
                            + relation.columns().size()
                            + " columns");
        }
        columnTypes = Collections.unmodifiableList(new ArrayList<>(columnTypes));
    }

    /** A schema whose columns have no announced user types. */
    public static RelationSchema of(Relation relation) {
        return new RelationSchema(
                relation, Collections.nCopies(relation.columns().size(), (TypeMessage) null));
    }

    /** Resolves the column types of {@code relation} against {@code types}. */
    static RelationSchema resolve(Relation relation, RelationLookup types) {
        List<TypeMessage> resolved = new ArrayList<>(relation.columns().size());
        for (RelationColumn column : relation.columns()) {
            resolved.add(types.type(column.typeOid()));
        }
        return new RelationSchema(relation, resolved);
    }

    public int relationOid() {
        return relation.relationOid();
    }

    /** The schema name; {@code pg_catalog} when the server sent an empty namespace. */
    public String schemaName() {
        return relation.namespace().isEmpty() ? "pg_catalog" : relation.namespace();
    }

    public String tableName() {
        return relation.relationName();
    }

    public ReplicaIdentity replicaIdentity() {
        return relation.replicaIdentity();
    }

    public List<RelationColumn> columns() {
        return relation.columns();
    }

    public int columnCount() {
        return relation.columns().size();
    }

    public RelationColumn column(int index) {
        return relation.columns().get(index);
    }

    /** The Type message announced for column {@code index}'s type, or null for built-in types. */
    public TypeMessage userType(int index) {
        return columnTypes.get(index);
    }

    @Override
    public String toString() {
        return "RelationSchema["
                + schemaName()
                + '.'
                + tableName()
                + ", oid="
                + Integer.toUnsignedString(relationOid())
                + ", identity="
                + replicaIdentity()
                + ", columns="
                + columnCount()
                + ']';
    }
}
