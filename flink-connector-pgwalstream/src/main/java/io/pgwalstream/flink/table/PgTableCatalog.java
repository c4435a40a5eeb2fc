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
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The catalog queries of the planning-time checks: which tables match the name patterns, and each
 * table's REPLICA IDENTITY ({@code pg_class.relreplident}), primary key, identity index and
 * published columns. Read-only; any role that can see the tables may run them.
 */
@Internal
public final class PgTableCatalog {

    /** Ordinary and partitioned tables outside the system schemas; partitions are left out. */
    static final String TABLES =
            "SELECT n.nspname, c.relname FROM pg_catalog.pg_class c"
                    + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                    + " WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition"
                    + " AND n.nspname NOT IN ('pg_catalog', 'information_schema')"
                    + " AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'"
                    + " ORDER BY 1, 2";

    /**
     * For every table named by the two arrays (schemas, names): its oid, relreplident, whether it
     * is partitioned, and the columns of its primary key and of its replica identity index. One
     * round trip however many tables a job reads.
     */
    static final String REPLICA_IDENTITY =
            "SELECT n.nspname, c.relname, c.oid::int8, c.relreplident, c.relkind = 'p',"
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
                    + " FROM unnest(?::text[], ?::text[]) AS t(nspname, relname)"
                    + " JOIN pg_catalog.pg_namespace n ON n.nspname = t.nspname"
                    + " JOIN pg_catalog.pg_class c ON c.relnamespace = n.oid"
                    + " AND c.relname = t.relname";

    /** The columns pgoutput publishes (not dropped, not generated) of every table in the array. */
    static final String COLUMNS =
            "SELECT a.attrelid::int8, a.attname, a.atttypid::int8, a.atttypmod"
                    + " FROM pg_catalog.pg_attribute a"
                    + " WHERE a.attrelid = ANY (?::oid[]) AND a.attnum > 0 AND NOT a.attisdropped"
                    + " AND a.attgenerated = '' ORDER BY a.attrelid, a.attnum";

    private final Connection connection;

    public PgTableCatalog(Connection connection) {
        this.connection = connection;
    }

    /** The schemas that hold at least one table {@link #TABLES} lists, sorted. */
    public List<String> schemas() throws SQLException {
        List<String> schemas = new ArrayList<>();
        try (PreparedStatement s = connection.prepareStatement(TABLES);
                ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                String ns = rs.getString(1);
                if (schemas.isEmpty() || !schemas.get(schemas.size() - 1).equals(ns)) {
                    schemas.add(ns);
                }
            }
        }
        return schemas;
    }

    /** Tables whose whole schema and table names match the patterns, sorted. */
    public List<TableName> matchingTables(String schemaPattern, String tablePattern)
            throws SQLException {
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

    /** The facts of each table, in the order given, in two round trips. */
    public List<PgTableFacts> describe(List<TableName> tables) throws SQLException {
        Map<TableName, Identity> identities = new HashMap<>();
        try (PreparedStatement s = connection.prepareStatement(REPLICA_IDENTITY)) {
            s.setArray(
                    1,
                    connection.createArrayOf(
                            "text", tables.stream().map(TableName::schema).toArray()));
            s.setArray(
                    2,
                    connection.createArrayOf(
                            "text", tables.stream().map(TableName::table).toArray()));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    identities.put(
                            TableName.of(rs.getString(1), rs.getString(2)),
                            new Identity(
                                    (int) rs.getLong(3),
                                    identity(rs.getString(4)),
                                    rs.getBoolean(5),
                                    names(rs.getArray(6)),
                                    names(rs.getArray(7))));
                }
            }
        }
        for (TableName table : tables) {
            if (!identities.containsKey(table)) {
                throw new SQLException("Table " + table + " does not exist");
            }
        }
        Map<Integer, List<RelationColumn>> columns = columns(identities.values());
        List<PgTableFacts> facts = new ArrayList<>();
        for (TableName table : tables) {
            Identity id = identities.get(table);
            facts.add(
                    new PgTableFacts(
                            table,
                            id.oid(),
                            id.partitioned(),
                            id.identity(),
                            id.pk(),
                            id.ident(),
                            columns.getOrDefault(id.oid(), List.of())));
        }
        return facts;
    }

    private Map<Integer, List<RelationColumn>> columns(Collection<Identity> tables)
            throws SQLException {
        Map<Integer, Identity> byOid = new HashMap<>();
        tables.forEach(t -> byOid.put(t.oid(), t));
        Map<Integer, List<RelationColumn>> columns = new HashMap<>();
        try (PreparedStatement s = connection.prepareStatement(COLUMNS)) {
            s.setArray(
                    1,
                    connection.createArrayOf(
                            "oid",
                            tables.stream().map(t -> Integer.toUnsignedLong(t.oid())).toArray()));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    int oid = (int) rs.getLong(1);
                    Identity table = byOid.get(oid);
                    String name = rs.getString(2);
                    boolean isKey =
                            table.identity() == ReplicaIdentity.FULL || table.key().contains(name);
                    columns.computeIfAbsent(oid, k -> new ArrayList<>())
                            .add(
                                    new RelationColumn(
                                            isKey ? RelationColumn.FLAG_KEY : 0,
                                            name,
                                            (int) rs.getLong(3),
                                            rs.getInt(4)));
                }
            }
        }
        return columns;
    }

    /** One table's row of {@link #REPLICA_IDENTITY}. */
    private record Identity(
            int oid,
            ReplicaIdentity identity,
            boolean partitioned,
            List<String> pk,
            List<String> ident) {

        /** The columns the old row of an UPDATE or DELETE carries (all of them under FULL). */
        Set<String> key() {
            return Set.copyOf(
                    switch (identity) {
                        case DEFAULT -> pk;
                        case INDEX -> ident;
                        default -> List.<String>of();
                    });
        }
    }

    /** A registry that knows {@code userTypes}. */
    public PgTypeRegistry typeRegistry(List<PgUserType> userTypes) {
        PgTypeRegistry registry = new PgTypeRegistry();
        userTypes.forEach(registry::register);
        return registry;
    }

    /** Every user type of the database ({@link UserTypeCatalog#CATALOG_QUERY}). */
    public List<PgUserType> userTypes() throws SQLException {
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
