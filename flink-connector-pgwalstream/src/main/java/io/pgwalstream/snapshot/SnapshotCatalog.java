package io.pgwalstream.snapshot;

import io.pgwalstream.protocol.RelationColumn;
import io.pgwalstream.protocol.ReplicaIdentity;
import io.pgwalstream.replication.SqlIdentifier;
import io.pgwalstream.replication.TableName;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads what the snapshot of a table needs from the catalog. Run it inside the snapshot's
 * transaction, so the columns are those of the snapshot's moment, as the stream's first Relation
 * message will be.
 */
public final class SnapshotCatalog {

    private static final String TABLE =
            "SELECT c.oid, c.relreplident FROM pg_class c"
                    + " JOIN pg_namespace n ON n.oid = c.relnamespace"
                    + " WHERE n.nspname = ? AND c.relname = ? AND c.relkind IN ('r', 'p')";

    /** Columns, each with its collation's name ('' when not collatable). */
    private static final String COLUMNS =
            "SELECT a.attname, a.atttypid, a.atttypmod, a.attnotnull,"
                    + " format_type(a.atttypid, a.atttypmod), coalesce(co.collname, '')"
                    + " FROM pg_attribute a LEFT JOIN pg_collation co ON co.oid = a.attcollation"
                    + " WHERE a.attrelid = ? AND a.attnum > 0 AND NOT a.attisdropped"
                    + " AND a.attgenerated = '' ORDER BY a.attnum";

    /** Valid, unconditional, plain-column indexes with their key columns in order. */
    private static final String INDEXES =
            "SELECT i.indisprimary, i.indisreplident, i.indisunique, am.amname = 'btree',"
                + " array_agg(a.attname::text ORDER BY k.ord) FROM pg_index i JOIN pg_class ic ON"
                + " ic.oid = i.indexrelid JOIN pg_am am ON am.oid = ic.relam CROSS JOIN LATERAL"
                + " unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord) JOIN pg_attribute a"
                + " ON a.attrelid = i.indrelid AND a.attnum = k.attnum WHERE i.indrelid = ? AND"
                + " i.indisvalid AND i.indpred IS NULL AND i.indexprs IS NULL AND k.ord <="
                + " i.indnkeyatts GROUP BY i.indexrelid, i.indisprimary, i.indisreplident,"
                + " i.indisunique, am.amname ORDER BY i.indisprimary DESC, i.indexrelid";

    /** Collations that order text by code point. */
    private static final Set<String> CODE_POINT_COLLATIONS =
            Set.of("C", "POSIX", "ucs_basic", "pg_c_utf8");

    private static final String DATABASE_LOCALE_14 =
            "SELECT 'c', datcollate, NULL FROM pg_database WHERE datname = current_database()";
    private static final String DATABASE_LOCALE_15 =
            "SELECT datlocprovider, datcollate, NULL FROM pg_database"
                    + " WHERE datname = current_database()";
    private static final String DATABASE_LOCALE_17 =
            "SELECT datlocprovider, datcollate, datlocale FROM pg_database"
                    + " WHERE datname = current_database()";

    private static final String PUBLISHED_14 =
            "SELECT NULL::text[], NULL::text FROM pg_publication_tables"
                    + " WHERE pubname = ? AND schemaname = ? AND tablename = ?";

    private static final String PUBLISHED_15 =
            "SELECT attnames::text[], rowfilter FROM pg_publication_tables"
                    + " WHERE pubname = ? AND schemaname = ? AND tablename = ?";

    private static final String PUBLICATION_TABLES =
            "SELECT schemaname, tablename FROM pg_publication_tables WHERE pubname = ?"
                    + " ORDER BY schemaname, tablename";

    private SnapshotCatalog() {}

    /** Every table {@code publication} publishes, in name order. */
    public static List<TableName> publishedTables(Connection c, String publication)
            throws SQLException {
        List<TableName> tables = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(PUBLICATION_TABLES)) {
            s.setString(1, publication);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    tables.add(TableName.of(rs.getString(1), rs.getString(2)));
                }
            }
        }
        return tables;
    }

    /**
     * @param publication the publication whose column list and row filter shape the rows, or null
     *     for all columns and rows (planning, before a publication to be created exists)
     * @param chunkKeyColumn the column to chunk by, or null to choose: the first column of the
     *     primary key, else of the replica identity index, else of a unique index (FULL identity);
     *     a table without any is read in block ranges
     * @throws SnapshotException naming the table and the fix if it is not published or {@code
     *     chunkKeyColumn} cannot chunk it
     */
    public static SnapshotTable read(
            Connection c, TableName table, String publication, String chunkKeyColumn)
            throws SQLException {
        int oid;
        ReplicaIdentity identity;
        try (PreparedStatement s = c.prepareStatement(TABLE)) {
            s.setString(1, table.schema());
            s.setString(2, table.table());
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    throw new SnapshotException(
                            table,
                            SnapshotException.Reason.NOT_PUBLISHED,
                            "Table " + table + " does not exist, so it cannot be snapshotted",
                            null);
                }
                oid = rs.getInt(1);
                identity = ReplicaIdentity.fromCatalog(rs.getString(2).charAt(0));
            }
        }
        Publication published = published(c, table, publication);
        List<Column> all = columns(c, oid);
        List<Index> indexes = indexes(c, oid);
        Set<String> identityColumns = identityColumns(identity, all, indexes);
        List<RelationColumn> columns = new ArrayList<>();
        for (Column column : all) {
            if (published.columns == null || published.columns.contains(column.name)) {
                int flags = identityColumns.contains(column.name) ? RelationColumn.FLAG_KEY : 0;
                columns.add(new RelationColumn(flags, column.name, column.typeOid, column.typmod));
            }
        }
        ChunkKey key =
                chunkKeyColumn == null
                        ? chooseKey(identity, all, indexes)
                        : checkedKey(
                                table, chunkKeyColumn, identity, identityColumns, all, indexes);
        return new SnapshotTable(table, oid, identity, columns, key, published.rowFilter);
    }

    private record Column(
            String name,
            int typeOid,
            int typmod,
            boolean notNull,
            String sqlType,
            boolean bytewiseCollation) {}

    private record Index(
            boolean primary,
            boolean replicaIdentity,
            boolean unique,
            boolean btree,
            List<String> columns) {}

    private record Publication(Set<String> columns, String rowFilter) {}

    private static Publication published(Connection c, TableName table, String publication)
            throws SQLException {
        if (publication == null) {
            return new Publication(null, null);
        }
        boolean columnLists = c.getMetaData().getDatabaseMajorVersion() >= 15;
        try (PreparedStatement s = c.prepareStatement(columnLists ? PUBLISHED_15 : PUBLISHED_14)) {
            s.setString(1, publication);
            s.setString(2, table.schema());
            s.setString(3, table.table());
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    throw new SnapshotException(
                            table,
                            SnapshotException.Reason.NOT_PUBLISHED,
                            "Publication "
                                    + SqlIdentifier.quote(publication)
                                    + " does not publish "
                                    + table
                                    + ", so the stream would carry none of its changes. Add it:"
                                    + " ALTER PUBLICATION "
                                    + SqlIdentifier.quote(publication)
                                    + " ADD TABLE "
                                    + table,
                            null);
                }
                Array names = rs.getArray(1);
                Set<String> columns =
                        names == null
                                ? null
                                : new LinkedHashSet<>(Arrays.asList((String[]) names.getArray()));
                return new Publication(columns, rs.getString(2));
            }
        }
    }

    /**
     * Fails, naming the grant, when the role may read none of the table's columns: found before any
     * chunk is read (at planning, or when the snapshot starts) instead of on the first COPY.
     */
    public static void requireSelect(Connection c, SnapshotTable table) throws SQLException {
        try (PreparedStatement s =
                c.prepareStatement("SELECT has_any_column_privilege(?::oid, 'SELECT')")) {
            s.setInt(1, table.relationOid());
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    throw new SnapshotException(
                            table.name(),
                            SnapshotException.Reason.NO_PERMISSION,
                            "The role "
                                    + SqlIdentifier.quote(c.getMetaData().getUserName())
                                    + " may not SELECT from "
                                    + table.name()
                                    + ", so the initial snapshot cannot read it: GRANT SELECT ON "
                                    + table.name()
                                    + " TO "
                                    + SqlIdentifier.quote(c.getMetaData().getUserName())
                                    + ", or start without a snapshot",
                            null);
                }
            }
        }
    }

    /**
     * Fails for a table whose later changes could not be told apart row by row: no primary key or
     * replica identity index, REPLICA IDENTITY not FULL, and a publication ({@code null}: one still
     * to be created, which publishes everything) that publishes updates or deletes. Its updates
     * would arrive without an old row, so nothing downstream could know which snapshot row they
     * replace.
     */
    public static void requireRowIdentity(Connection c, SnapshotTable table, String publication)
            throws SQLException {
        if (!table.chunkKey().isPhysical()
                || table.replicaIdentity() == ReplicaIdentity.FULL
                || !publishesRowChanges(c, publication)) {
            return;
        }
        throw new SnapshotException(
                table.name(),
                SnapshotException.Reason.NO_ROW_IDENTITY,
                "Table "
                        + table.name()
                        + " has no primary key or replica identity index and REPLICA IDENTITY "
                        + table.replicaIdentity()
                        + ": its updates and deletes after the snapshot could not name the row"
                        + " they change. Add a primary key, or ALTER TABLE "
                        + table.name()
                        + " REPLICA IDENTITY FULL, or read it without following changes (startup"
                        + " mode snapshot, or a publication WITH (publish = 'insert'))",
                null);
    }

    private static boolean publishesRowChanges(Connection c, String publication)
            throws SQLException {
        if (publication == null) {
            return true;
        }
        try (PreparedStatement s =
                c.prepareStatement(
                        "SELECT pubupdate OR pubdelete FROM pg_publication WHERE pubname = ?")) {
            s.setString(1, publication);
            try (ResultSet rs = s.executeQuery()) {
                return !rs.next() || rs.getBoolean(1);
            }
        }
    }

    /** Whether the database's default collation orders text by code point. */
    private static boolean defaultCollationIsCodePoint(Connection c) throws SQLException {
        int major = c.getMetaData().getDatabaseMajorVersion();
        String query =
                major >= 17
                        ? DATABASE_LOCALE_17
                        : major >= 15 ? DATABASE_LOCALE_15 : DATABASE_LOCALE_14;
        try (PreparedStatement s = c.prepareStatement(query);
                ResultSet rs = s.executeQuery()) {
            rs.next();
            String provider = rs.getString(1);
            String collate = rs.getString(2);
            String locale = rs.getString(3);
            return switch (provider) {
                case "c" -> "C".equals(collate) || "POSIX".equals(collate);
                case "b" -> "C".equals(locale) || "C.UTF-8".equals(locale);
                default -> false; // ICU orders by language rules
            };
        }
    }

    private static List<Column> columns(Connection c, int oid) throws SQLException {
        boolean defaultIsCodePoint = defaultCollationIsCodePoint(c);
        List<Column> columns = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(COLUMNS)) {
            s.setInt(1, oid);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    columns.add(
                            new Column(
                                    rs.getString(1),
                                    rs.getInt(2),
                                    rs.getInt(3),
                                    rs.getBoolean(4),
                                    rs.getString(5),
                                    "default".equals(rs.getString(6))
                                            ? defaultIsCodePoint
                                            : CODE_POINT_COLLATIONS.contains(rs.getString(6))));
                }
            }
        }
        return columns;
    }

    private static List<Index> indexes(Connection c, int oid) throws SQLException {
        List<Index> indexes = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(INDEXES)) {
            s.setInt(1, oid);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    indexes.add(
                            new Index(
                                    rs.getBoolean(1),
                                    rs.getBoolean(2),
                                    rs.getBoolean(3),
                                    rs.getBoolean(4),
                                    List.of((String[]) rs.getArray(5).getArray())));
                }
            }
        }
        return indexes;
    }

    /** The columns pgoutput flags as key: those of the replica identity. */
    private static Set<String> identityColumns(
            ReplicaIdentity identity, List<Column> columns, List<Index> indexes) {
        Set<String> names = new LinkedHashSet<>();
        switch (identity) {
            case FULL:
                columns.forEach(c -> names.add(c.name));
                break;
            case DEFAULT:
                indexes.stream()
                        .filter(Index::primary)
                        .findFirst()
                        .ifPresent(i -> names.addAll(i.columns));
                break;
            case INDEX:
                indexes.stream()
                        .filter(Index::replicaIdentity)
                        .findFirst()
                        .ifPresent(i -> names.addAll(i.columns));
                break;
            default:
                break;
        }
        return names;
    }

    private static ChunkKey chooseKey(
            ReplicaIdentity identity, List<Column> columns, List<Index> indexes) {
        for (Index index : indexes) {
            boolean identityIndex =
                    (identity == ReplicaIdentity.DEFAULT && index.primary)
                            || (identity == ReplicaIdentity.INDEX && index.replicaIdentity)
                            || (identity == ReplicaIdentity.FULL && index.unique);
            Column first = column(columns, index.columns.get(0));
            if (identityIndex && index.btree && first != null && first.notNull) {
                return key(first, indexes);
            }
        }
        return ChunkKey.physical();
    }

    private static ChunkKey checkedKey(
            TableName table,
            String name,
            ReplicaIdentity identity,
            Set<String> identityColumns,
            List<Column> columns,
            List<Index> indexes) {
        Column column = column(columns, name);
        String problem = null;
        if (column == null) {
            problem = "has no column " + SqlIdentifier.quote(name);
        } else if (!column.notNull) {
            problem =
                    "allows NULL in "
                            + SqlIdentifier.quote(name)
                            + ", so a range cannot hold every row";
        } else if (indexes.stream().noneMatch(i -> i.unique && i.columns.contains(name))) {
            problem = "has no unique index or primary key containing " + SqlIdentifier.quote(name);
        } else if (indexes.stream().noneMatch(i -> i.btree && i.columns.get(0).equals(name))) {
            problem =
                    "has no B-tree index starting with "
                            + SqlIdentifier.quote(name)
                            + " (CREATE INDEX ON "
                            + table
                            + " ("
                            + SqlIdentifier.quote(name)
                            + "))";
        } else if (identity != ReplicaIdentity.FULL && !identityColumns.contains(name)) {
            problem =
                    "does not send "
                            + SqlIdentifier.quote(name)
                            + " with deletes (it is not in the replica identity "
                            + identityColumns
                            + ")";
        }
        if (problem != null) {
            throw new SnapshotException(
                    table,
                    SnapshotException.Reason.BAD_CHUNK_KEY,
                    "The chunk key column cannot chunk "
                            + table
                            + ": the table "
                            + problem
                            + ". Choose a NOT NULL column of its primary key or replica identity"
                            + " index (scan.incremental.snapshot.chunk.key-column), or leave the"
                            + " option unset to use the first primary key column.",
                    null);
        }
        return key(column, indexes);
    }

    private static ChunkKey key(Column column, List<Index> indexes) {
        boolean unique =
                indexes.stream().anyMatch(i -> i.unique && i.columns.equals(List.of(column.name)));
        return new ChunkKey(
                column.name, column.sqlType, column.typeOid, unique, column.bytewiseCollation);
    }

    private static Column column(List<Column> columns, String name) {
        return columns.stream().filter(c -> c.name.equals(name)).findFirst().orElse(null);
    }
}
