package io.pgwalstream.flink.table;

import io.pgwalstream.flink.rowdata.ResolvedChangelogMode;
import io.pgwalstream.flink.source.split.SlotGroup;
import io.pgwalstream.flink.source.split.SlotGroupSharding;
import io.pgwalstream.replication.PgConnections;
import io.pgwalstream.replication.PgPublicationManager;
import io.pgwalstream.replication.ReplicationException;
import io.pgwalstream.replication.ReplicationRole;
import io.pgwalstream.replication.ServerVersion;
import io.pgwalstream.replication.TableName;
import io.pgwalstream.types.PgUserType;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.types.logical.LogicalType;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The planning-time look at the server: whether the role may replicate and the server has the
 * decoding features asked for, which tables match, whether their REPLICA IDENTITY gives the
 * changelog the DDL asks for, whether their columns agree with the DDL, whether the publications
 * are in place, and whether an initial snapshot can read them. Runs on the client (or SQL gateway)
 * when a query is planned, over one short SQL connection.
 */
@Internal
final class ServerPlanning {

    private static final Duration PLANNING_TIMEOUT = Duration.ofMinutes(5);

    private ServerPlanning() {}

    static PlannedTables plan(
            PgWalStreamTableConfig config,
            List<String> fieldNames,
            List<LogicalType> fieldTypes,
            List<String> primaryKey,
            String flinkTable) {
        // Planning queries read the catalog; a server silent for minutes fails planning, not hangs
        // it.
        try (Connection connection = PgConnections.openSql(config.connection(), PLANNING_TIMEOUT)) {
            checkWalLevel(connection);
            checkRole(connection);
            ServerFeatureCheck.check(config, ServerVersion.of(connection));
            PgTableCatalog catalog = new PgTableCatalog(connection);
            List<TableName> matched =
                    catalog.matchingTables(config.schemaPattern(), config.tablePattern());
            if (matched.isEmpty()) {
                throw new ValidationException(
                        "No table in database '"
                                + config.connection().database()
                                + "' matches 'schema-name' = '"
                                + config.schemaPattern()
                                + "' and 'table-name' = '"
                                + config.tablePattern()
                                + "' (Java regular expressions matched against whole names,"
                                + " case-sensitive). Check the names, or create the table first.");
            }
            List<PgTableFacts> tables = catalog.describe(matched);
            ResolvedChangelogMode mode =
                    ChangelogModeResolver.resolve(
                            config.changelogMode(), tables, primaryKey, flinkTable);
            List<PgUserType> userTypes = catalog.userTypes();
            SchemaAgreementCheck.check(
                    fieldNames,
                    fieldTypes,
                    tables,
                    catalog.typeRegistry(userTypes),
                    config.conversion(),
                    flinkTable);
            UnchangedToastChoice toast =
                    ToastPlanningCheck.check(
                            config,
                            mode,
                            tables,
                            fieldNames,
                            fieldTypes,
                            primaryKey,
                            catalog.typeRegistry(userTypes),
                            flinkTable);
            List<SlotGroup> groups = groups(config, matched);
            PgPublicationManager publications = PgPublicationManager.on(connection);
            for (SlotGroup group : groups) {
                PublicationCheck.check(
                        publications, group, partitioned(tables), config.publicationAutoCreate());
                SnapshotPlanningCheck.check(connection, publications, group, config, flinkTable);
            }
            Set<Integer> oids = new HashSet<>();
            tables.forEach(t -> oids.add(t.oid()));
            return new PlannedTables(groups, oids, mode, userTypes, tables, toast);
        } catch (SQLException e) {
            throw new ValidationException(
                    "Cannot check the tables of "
                            + flinkTable
                            + " on "
                            + config.connection().describe()
                            + " at planning time: "
                            + e.getMessage()
                            + " (SQLSTATE "
                            + e.getSQLState()
                            + "). Check 'hostname', 'port', 'username', 'password',"
                            + " 'database-name' and 'properties.*'.",
                    e);
        }
    }

    private static Set<TableName> partitioned(List<PgTableFacts> tables) {
        Set<TableName> result = new HashSet<>();
        tables.stream().filter(PgTableFacts::partitioned).forEach(t -> result.add(t.name()));
        return result;
    }

    private static List<SlotGroup> groups(PgWalStreamTableConfig config, List<TableName> tables) {
        if (!config.sharded()) {
            return List.of(new SlotGroup(config.slotName(), config.publicationName(), tables));
        }
        try {
            return SlotGroupSharding.shard(
                    tables, config.shards(), config.slotName(), config.publicationName());
        } catch (IllegalArgumentException e) {
            throw PgWalStreamTableConfig.invalid(
                    PgWalStreamOptions.SLOT_SHARDS,
                    "is too large: " + e.getMessage() + ". Lower it or match more tables.");
        }
    }

    private static void checkRole(Connection connection) throws SQLException {
        try {
            ReplicationRole.require(connection);
        } catch (ReplicationException e) {
            throw new ValidationException(e.getMessage(), e);
        }
    }

    private static void checkWalLevel(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery("SHOW wal_level")) {
            rs.next();
            String level = rs.getString(1);
            if (!"logical".equals(level)) {
                throw new ValidationException(
                        "The server runs with wal_level = "
                                + level
                                + "; logical replication needs wal_level = logical. Set it in"
                                + " postgresql.conf (ALTER SYSTEM SET wal_level = logical) and"
                                + " restart PostgreSQL.");
            }
        }
    }
}
