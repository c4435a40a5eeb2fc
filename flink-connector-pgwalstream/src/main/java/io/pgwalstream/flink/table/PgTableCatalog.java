package io.pgwalstream.flink.table;

import io.pgwalstream.protocol.RelationColumn;
import io.pgwalstream.protocol.ReplicaIdentity;
import io.pgwalstream.replication.TableName;
import io.pgwalstream.replication.UserTypeCatalog;
import io.pgwalstream.types.PgTypeRegistry;
import io.pgwalstream.types.PgUserType;

import org.apache.flink.annotation.Internal;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The catalog queries of the planning-time checks: which tables match the name patterns, and each
 * table's REPLICA IDENTITY ({@code pg_class.relreplident}), primary key, identity index and
 * published columns. Read-only; any role that can see the tables may run them.
 */
@Internal
final class PgTableCatalog {

    /** Ordinary and partitioned tables outside the system schemas; partitions are left out. */
    static final String TABLES =
            "SELECT n.nspname, c.relname FROM pg_catalog.pg_class c"
                    + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                    + " WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition"
                    + " AND n.nspname NOT IN ('pg_catalog', 'information_schema')"
                    + " AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'"
                    + " ORDER BY 1, 2";

    /** relreplident, and the columns of the primary key and of the replica identity index. */
    static final String REPLICA_IDENTITY =
            "SELECT c.oid::int8, c.relreplident, c.relkind = 'p',"
                    + " (SELECT array_agg(a.attname::text ORDER BY k.ord)"
                    + "    FROM pg_catalog.pg_index i,"
                    + "         unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)"
                    + "    JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid"
                    + "     AND a.attnum = k.attnum"
                    + "   WHERE i.indrelid = c.oid AND i.indisprimary) AS pk,"
                    + " (SELECT array_agg(a.attname::text ORDER BY k.ord)"
                    + "    FROM pg_catalog.pg_index i,"
                    + "         unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)"
                    + "    JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid"
                    + "     AND a.attnum = k.attnum"
                    + "   WHERE i.indrelid = c.oid AND i.indisreplident) AS ident"
                    + " FROM pg_catalog.pg_class c"
                    + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                    + " WHERE n.nspname = ? AND c.relname = ?";

    /** The columns pgoutput publishes: not dropped, not generated. */
    static final String COLUMNS =
            "SELECT a.attname, a.atttypid::int8, a.atttypmod FROM pg_catalog.pg_attribute a"
                    + " WHERE a.attrelid = ? AND a.attnum > 0 AND NOT a.attisdropped"
                    + " AND a.attgenerated = '' ORDER BY a.attnum";

    private final Connection connection;

    PgTableCatalog(Connection connection) {
        this.connection = connection;
    }

    /** Tables whose whole schema and table names match the patterns, sorted. */
    List<TableName> matchingTables(String schemaPattern, String tablePattern) throws SQLException {
        Pattern schema = Pattern.compile(schemaPattern);
        Pattern table = Pattern.compile(tablePattern);
        List<TableName> matched = new ArrayList<>();
        try (PreparedStatement s = connection.prepareStatement(TABLES);
                ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                String ns = rs.getString(1);
                String name = rs.getString(2);
                if (schema.matcher(ns).matches() && table.matcher(name).matches()) {
                    matched.add(TableName.of(ns, name));
                }
            }
        }
        return matched;
    }

    PgTableFacts describe(TableName table) throws SQLException {
        int oid;
        boolean partitioned;
        ReplicaIdentity identity;
        List<String> pk;
        List<String> ident;
        try (PreparedStatement s = connection.prepareStatement(REPLICA_IDENTITY)) {
            s.setString(1, table.schema());
            s.setString(2, table.table());
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("Table " + table + " does not exist");
                }
                oid = (int) rs.getLong(1);
                identity = identity(rs.getString(2));
                partitioned = rs.getBoolean(3);
                pk = names(rs.getArray(4));
                ident = names(rs.getArray(5));
            }
        }
        Set<String> key =
                Set.copyOf(
                        switch (identity) {
                            case DEFAULT -> pk;
                            case INDEX -> ident;
                            default -> List.<String>of();
                        });
        List<RelationColumn> columns = new ArrayList<>();
        try (PreparedStatement s = connection.prepareStatement(COLUMNS)) {
            s.setLong(1, Integer.toUnsignedLong(oid));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    String name = rs.getString(1);
                    boolean isKey = identity == ReplicaIdentity.FULL || key.contains(name);
                    columns.add(
                            new RelationColumn(
                                    isKey ? RelationColumn.FLAG_KEY : 0,
                                    name,
                                    (int) rs.getLong(2),
                                    rs.getInt(3)));
                }
            }
        }
        return new PgTableFacts(table, oid, partitioned, identity, pk, ident, columns);
    }

    /** A registry that knows {@code userTypes}. */
    PgTypeRegistry typeRegistry(List<PgUserType> userTypes) {
        PgTypeRegistry registry = new PgTypeRegistry();
        userTypes.forEach(registry::register);
        return registry;
    }

    /** Every user type of the database ({@link UserTypeCatalog#CATALOG_QUERY}). */
    List<PgUserType> userTypes() throws SQLException {
        return UserTypeCatalog.readAll(connection);
    }

    private static ReplicaIdentity identity(String relreplident) {
        switch (relreplident) {
            case "f":
                return ReplicaIdentity.FULL;
            case "i":
                return ReplicaIdentity.INDEX;
            case "n":
                return ReplicaIdentity.NOTHING;
            default:
                return ReplicaIdentity.DEFAULT;
        }
    }

    private static List<String> names(Array array) throws SQLException {
        if (array == null) {
            return List.of();
        }
        return Arrays.asList((String[]) array.getArray());
    }
}
