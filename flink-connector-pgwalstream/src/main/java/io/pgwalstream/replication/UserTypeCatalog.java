package io.pgwalstream.replication;

import io.pgwalstream.types.PgUserType;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Reads the database's user types from {@code pg_type}, for converters of binary values. */
public final class UserTypeCatalog {

    /**
     * Reads every type with an OID of at least 10000, one row per type, columns in the order of
     * {@link PgUserType}'s components (PostgreSQL 14 and later). Run it on the published database
     * with any role.
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

    private UserTypeCatalog() {}

    /**
     * Reads every user type of the connected database with {@link #CATALOG_QUERY}: what a reader
     * registers in its {@code PgTypeRegistry} before converting binary values of user types.
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
}
