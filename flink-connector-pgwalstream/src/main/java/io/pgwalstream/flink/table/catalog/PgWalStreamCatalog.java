package io.pgwalstream.flink.table.catalog;

import io.pgwalstream.flink.table.PgTableCatalog;
import io.pgwalstream.flink.table.PgTableFacts;
import io.pgwalstream.replication.PgConnectionConfig;
import io.pgwalstream.replication.PgConnections;
import io.pgwalstream.replication.TableName;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.catalog.CatalogBaseTable;
import org.apache.flink.table.catalog.CatalogDatabase;
import org.apache.flink.table.catalog.CatalogDatabaseImpl;
import org.apache.flink.table.catalog.ObjectPath;
import org.apache.flink.table.catalog.exceptions.CatalogException;
import org.apache.flink.table.catalog.exceptions.DatabaseNotExistException;
import org.apache.flink.table.catalog.exceptions.TableNotExistException;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code CREATE CATALOG pg WITH ('type' = 'pg-walstream', …)}: the schemas of one PostgreSQL
 * database as Flink databases, their tables as pg-walstream tables whose columns, primary key and
 * changelog mode come from PostgreSQL. Read-only. Each call reads the catalog on a short-lived
 * connection, so what it shows is what the server has now.
 */
@Internal
public final class PgWalStreamCatalog extends ReadOnlyCatalog {

    private static final Duration QUERY_TIMEOUT = Duration.ofMinutes(1);

    private final PgConnectionConfig connection;
    private final Map<String, String> tableOptions;

    /**
     * @param tableOptions the options every table gets: the connection's and the table defaults
     *     given to the catalog
     */
    public PgWalStreamCatalog(
            String name,
            String defaultDatabase,
            PgConnectionConfig connection,
            Map<String, String> tableOptions) {
        super(name, defaultDatabase);
        this.connection = connection;
        this.tableOptions = Map.copyOf(tableOptions);
    }

    @Override
    public void open() {
        read(catalog -> catalog.schemas());
    }

    @Override
    public void close() {}

    @Override
    public List<String> listDatabases() {
        return read(PgTableCatalog::schemas);
    }

    @Override
    public CatalogDatabase getDatabase(String databaseName) throws DatabaseNotExistException {
        if (!databaseExists(databaseName)) {
            throw new DatabaseNotExistException(getName(), databaseName);
        }
        return new CatalogDatabaseImpl(Map.of(), "PostgreSQL schema " + databaseName);
    }

    @Override
    public boolean databaseExists(String databaseName) {
        return listDatabases().contains(databaseName);
    }

    @Override
    public List<String> listTables(String databaseName) throws DatabaseNotExistException {
        if (!databaseExists(databaseName)) {
            throw new DatabaseNotExistException(getName(), databaseName);
        }
        return read(catalog -> catalog.matchingTables(CatalogTables.literal(databaseName), ".*"))
                .stream()
                .map(TableName::table)
                .toList();
    }

    @Override
    public CatalogBaseTable getTable(ObjectPath path) throws TableNotExistException {
        TableName name = TableName.of(path.getDatabaseName(), path.getObjectName());
        return read(
                catalog -> {
                    if (!catalog.matchingTables(
                                    CatalogTables.literal(name.schema()),
                                    CatalogTables.literal(name.table()))
                            .contains(name)) {
                        return null;
                    }
                    PgTableFacts facts = catalog.describe(List.of(name)).get(0);
                    return CatalogTables.of(
                            facts, catalog.typeRegistry(catalog.userTypes()), tableOptions);
                },
                () -> new TableNotExistException(getName(), path));
    }

    @Override
    public boolean tableExists(ObjectPath path) {
        try {
            getTable(path);
            return true;
        } catch (TableNotExistException e) {
            return false;
        }
    }

    /** What a catalog query answers; SQL failures become a {@link CatalogException}. */
    private interface Query<T> {
        T run(PgTableCatalog catalog) throws SQLException;
    }

    private <T> T read(Query<T> query) {
        try (Connection sql = PgConnections.openSql(connection, QUERY_TIMEOUT)) {
            return query.run(new PgTableCatalog(sql));
        } catch (SQLException e) {
            throw new CatalogException(
                    "Catalog '"
                            + getName()
                            + "' cannot read PostgreSQL's catalog on "
                            + connection.describe()
                            + ": "
                            + e.getMessage()
                            + ". Check 'hostname', 'port', 'username', 'password',"
                            + " 'database-name' and 'properties.*' of CREATE CATALOG.",
                    e);
        }
    }

    private <T, E extends Exception> T read(Query<T> query, Supplier<E> absent) throws E {
        T result = read(query);
        if (result == null) {
            throw absent.get();
        }
        return result;
    }
}
