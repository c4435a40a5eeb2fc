package io.pgwalstream.replication;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * {@link PublicationManager} over a SQL connection to the publication's database. Catalog lookups
 * bind names as parameters; DDL quotes every name. DDL runs in the connection's transaction mode,
 * so with auto-commit off the caller commits. Not thread-safe.
 */
public final class PgPublicationManager implements PublicationManager {

    private static final Logger LOG = LoggerFactory.getLogger(PgPublicationManager.class);

    private static final String DUPLICATE_OBJECT = "42710";
    private static final String INSUFFICIENT_PRIVILEGE = "42501";

    private static final String PUBLICATION_SQL =
            "SELECT puballtables, pubinsert, pubupdate, pubdelete, pubtruncate, pubviaroot"
                    + " FROM pg_catalog.pg_publication WHERE pubname = ?";
    private static final String TABLE_KIND_SQL =
            "SELECT c.relkind FROM pg_catalog.pg_class c"
                    + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                    + " WHERE n.nspname = ? AND c.relname = ?";

    private final Connection connection;
    private final ServerVersion server;
    private final String database;

    PgPublicationManager(Connection connection, ServerVersion server, String database) {
        this.connection = connection;
        this.server = server;
        this.database = database;
    }

    /** A manager using {@code connection}, which stays the caller's to close. */
    public static PgPublicationManager on(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement();
                ResultSet rs =
                        s.executeQuery(
                                "SELECT current_setting('server_version_num'),"
                                        + " current_database()")) {
            rs.next();
            return new PgPublicationManager(
                    connection, ServerVersion.parse(rs.getString(1)), rs.getString(2));
        }
    }

    @Override
    public Optional<PublicationInfo> describe(String publication) {
        SqlIdentifier.validate(publication, "publication");
        try {
            return read(publication);
        } catch (SQLException e) {
            throw failed(publication, "read", null, e);
        }
    }

    @Override
    public void ensure(String publication, List<TableName> tables, boolean createIfMissing) {
        SqlIdentifier.validate(publication, "publication");
        List<TableName> wanted = List.copyOf(new LinkedHashSet<>(tables));
        if (wanted.isEmpty()) {
            throw new IllegalArgumentException(
                    "Publication " + SqlIdentifier.quote(publication) + ": no tables were given");
        }
        requireTablesExist(publication, wanted);
        try {
            ensureOnce(publication, wanted, createIfMissing);
        } catch (PublicationException e) {
            // Someone else created the publication or added a table between our check and our
            // DDL: look again, once.
            if (e.reason() != PublicationException.Reason.FAILED
                    || !DUPLICATE_OBJECT.equals(e.sqlState())) {
                throw e;
            }
            LOG.info("Publication {} changed concurrently; checking again", quote(publication));
            ensureOnce(publication, wanted, createIfMissing);
        }
    }

    /**
     * Creates {@code publication} without tables: logical decoding messages, which no publication
     * filters, still flow through a slot streaming it.
     */
    public void createEmpty(String publication) {
        SqlIdentifier.validate(publication, "publication");
        String ddl = "CREATE PUBLICATION " + quote(publication);
        execute(publication, "create", ddl);
        LOG.info("Created publication {} in database {}: {}", quote(publication), database, ddl);
    }

    private void ensureOnce(String publication, List<TableName> wanted, boolean create) {
        Optional<PublicationInfo> info = describe(publication);
        if (info.isEmpty()) {
            String ddl = PublicationDdl.create(publication, wanted);
            if (!create) {
                throw new PublicationException(
                        publication,
                        PublicationException.Reason.MISSING,
                        wanted,
                        ddl,
                        "Publication "
                                + quote(publication)
                                + " does not exist in database "
                                + quote(database)
                                + ". Create it, as the owner of the tables or a superuser: "
                                + ddl
                                + "; or allow the connector to create publications.",
                        null);
            }
            execute(publication, "create", ddl);
            LOG.info(
                    "Created publication {} in database {}: {}", quote(publication), database, ddl);
            return;
        }
        List<TableName> unpublished = info.get().unpublished(wanted);
        if (unpublished.isEmpty()) {
            return;
        }
        String ddl = PublicationDdl.addTables(publication, unpublished);
        if (!create) {
            throw new PublicationException(
                    publication,
                    PublicationException.Reason.TABLES_NOT_PUBLISHED,
                    unpublished,
                    ddl,
                    "Publication "
                            + quote(publication)
                            + " in database "
                            + quote(database)
                            + " does not publish "
                            + unpublished
                            + ". Add them, as the owner of the tables or a superuser: "
                            + ddl
                            + "; or allow the connector to change publications.",
                    null);
        }
        execute(publication, "change", ddl);
        LOG.info("Changed publication {} in database {}: {}", quote(publication), database, ddl);
    }

    private Optional<PublicationInfo> read(String publication) throws SQLException {
        boolean allTables;
        boolean viaRoot;
        Set<PublicationOperation> operations = EnumSet.noneOf(PublicationOperation.class);
        try (PreparedStatement s = connection.prepareStatement(PUBLICATION_SQL)) {
            s.setString(1, publication);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                allTables = rs.getBoolean("puballtables");
                viaRoot = rs.getBoolean("pubviaroot");
                for (PublicationOperation op : PublicationOperation.values()) {
                    if (rs.getBoolean("pub" + op.name().toLowerCase(Locale.ROOT))) {
                        operations.add(op);
                    }
                }
            }
        }
        List<TableName> tables = new ArrayList<>();
        String sql = publishedTablesSql(server);
        try (PreparedStatement s = connection.prepareStatement(sql)) {
            // One parameter per UNION branch, each the publication name.
            int params = (int) sql.chars().filter(c -> c == '?').count();
            for (int i = 1; i <= params; i++) {
                s.setString(i, publication);
            }
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    tables.add(new TableName(rs.getString(1), rs.getString(2)));
                }
            }
        }
        return Optional.of(
                new PublicationInfo(publication, allTables, tables, operations, viaRoot));
    }

    /**
     * What {@code pg_publication_tables} lists, plus partitioned tables the publication names
     * directly or through their schema (15+): without {@code publish_via_partition_root} the view
     * lists their partitions instead, yet their changes are published.
     */
    static String publishedTablesSql(ServerVersion server) {
        String sql =
                "SELECT schemaname, tablename FROM pg_catalog.pg_publication_tables"
                        + " WHERE pubname = ?"
                        + " UNION SELECT n.nspname, c.relname FROM pg_catalog.pg_publication p"
                        + " JOIN pg_catalog.pg_publication_rel r ON r.prpubid = p.oid"
                        + " JOIN pg_catalog.pg_class c ON c.oid = r.prrelid"
                        + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                        + " WHERE p.pubname = ?";
        if (server.major() >= 15) {
            sql +=
                    " UNION SELECT n.nspname, c.relname FROM pg_catalog.pg_publication p"
                            + " JOIN pg_catalog.pg_publication_namespace pn ON pn.pnpubid = p.oid"
                            + " JOIN pg_catalog.pg_namespace n ON n.oid = pn.pnnspid"
                            + " JOIN pg_catalog.pg_class c ON c.relnamespace = n.oid"
                            + " WHERE p.pubname = ? AND c.relkind = 'p'";
        }
        return sql;
    }

    private void requireTablesExist(String publication, List<TableName> tables) {
        List<TableName> notFound = new ArrayList<>();
        try (PreparedStatement s = connection.prepareStatement(TABLE_KIND_SQL)) {
            for (TableName table : tables) {
                s.setString(1, table.schema());
                s.setString(2, table.table());
                try (ResultSet rs = s.executeQuery()) {
                    // r = ordinary table, p = partitioned table: the kinds a publication takes.
                    if (!rs.next() || !"rp".contains(rs.getString(1))) {
                        notFound.add(table);
                    }
                }
            }
        } catch (SQLException e) {
            throw failed(publication, "check the tables of", null, e);
        }
        if (!notFound.isEmpty()) {
            throw new PublicationException(
                    publication,
                    PublicationException.Reason.TABLES_NOT_FOUND,
                    notFound,
                    null,
                    "Tables "
                            + notFound
                            + " were not found in database "
                            + quote(database)
                            + ", so publication "
                            + quote(publication)
                            + " cannot publish them. Check the names: schema and table are"
                            + " case-sensitive and must name ordinary or partitioned tables.",
                    null);
        }
    }

    private void execute(String publication, String action, String ddl) {
        try (Statement s = connection.createStatement()) {
            s.execute(ddl);
        } catch (SQLException e) {
            throw failed(publication, action, ddl, e);
        }
    }

    private PublicationException failed(
            String publication, String action, String ddl, SQLException cause) {
        String hint =
                INSUFFICIENT_PRIVILEGE.equals(cause.getSQLState())
                        ? " Run the statement as the owner of the tables or a superuser"
                                + " (creating a publication also needs CREATE on the database)."
                        : "";
        return new PublicationException(
                publication,
                PublicationException.Reason.FAILED,
                List.of(),
                ddl,
                "Could not "
                        + action
                        + " publication "
                        + quote(publication)
                        + " in database "
                        + quote(database)
                        + (ddl == null ? "" : " with: " + ddl)
                        + " (server: "
                        + cause.getMessage()
                        + ", SQLSTATE "
                        + cause.getSQLState()
                        + ")."
                        + hint,
                cause);
    }

    private static String quote(String name) {
        return SqlIdentifier.quote(name);
    }
}
