package io.pgwalstream.flink.table.data;

import org.apache.flink.annotation.PublicEvolving;

import java.io.Serializable;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Catalog facts about a user-defined type (OID at least 10000), as returned by {@link
 * #CATALOG_QUERY}. pgoutput's Type message gives only a name (for a domain, its base type's name),
 * which is enough for the text form but not for binary values of enums, composites, ranges and
 * arrays of user types; registering these facts in a {@link PgTypeRegistry} makes them readable.
 *
 * @param oid the type's OID
 * @param namespace its schema
 * @param name {@code typname}
 * @param typtype {@code b} base, {@code c} composite, {@code d} domain, {@code e} enum, {@code r}
 *     range, {@code m} multirange, {@code p} pseudo
 * @param typcategory {@code A} for array types
 * @param baseTypeOid {@code typbasetype} of a domain, else 0
 * @param baseTypeModifier {@code typtypmod} of a domain, else -1
 * @param elementOid {@code typelem} of an array type, else 0
 * @param rangeSubtypeOid {@code pg_range.rngsubtype} of a range type, else 0
 * @param multirangeRangeOid the range type of a multirange type, else 0
 */
@PublicEvolving
public record PgUserType(
        int oid,
        String namespace,
        String name,
        char typtype,
        char typcategory,
        int baseTypeOid,
        int baseTypeModifier,
        int elementOid,
        int rangeSubtypeOid,
        int multirangeRangeOid)
        implements Serializable {

    private static final long serialVersionUID = 1L;

    /**
     * Reads every type with an OID of at least 10000, one row per type, columns in the order of
     * this record's components (PostgreSQL 14 and later). Run it on the published database with any
     * role.
     */
    public static final String CATALOG_QUERY =
            "SELECT t.oid::int8, n.nspname, t.typname, t.typtype, t.typcategory,"
                    + " t.typbasetype::int8, t.typtypmod, t.typelem::int8,"
                    + " COALESCE(r.rngsubtype, 0)::int8, COALESCE(mr.rngtypid, 0)::int8"
                    + " FROM pg_catalog.pg_type t"
                    + " JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace"
                    + " LEFT JOIN pg_catalog.pg_range r ON r.rngtypid = t.oid"
                    + " LEFT JOIN pg_catalog.pg_range mr ON mr.rngmultitypid = t.oid"
                    + " WHERE t.oid >= 10000";

    public PgUserType {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
    }

    /**
     * Reads every user type of the connected database with {@link #CATALOG_QUERY}: what a reader
     * registers in its {@link PgTypeRegistry} before converting binary values of user types.
     */
    public static List<PgUserType> readAll(Connection connection) throws SQLException {
        List<PgUserType> types = new ArrayList<>();
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery(CATALOG_QUERY)) {
            while (rs.next()) {
                types.add(
                        new PgUserType(
                                (int) rs.getLong(1),
                                rs.getString(2),
                                rs.getString(3),
                                rs.getString(4).charAt(0),
                                rs.getString(5).charAt(0),
                                (int) rs.getLong(6),
                                rs.getInt(7),
                                (int) rs.getLong(8),
                                (int) rs.getLong(9),
                                (int) rs.getLong(10)));
            }
        }
        return types;
    }

    /** {@code namespace.name}, or just the name in {@code pg_catalog}. */
    public String qualifiedName() {
        return namespace.isEmpty() || namespace.equals("pg_catalog")
                ? name
                : namespace + "." + name;
    }
}
