package io.pgwalstream.flink.table;

import io.pgwalstream.flink.rowdata.PgConversionOptions;
import io.pgwalstream.flink.rowdata.PgConversionOptions.UnchangedToast;
import io.pgwalstream.flink.rowdata.ResolvedChangelogMode;
import io.pgwalstream.flink.rowdata.toast.MissingValuePolicy;
import io.pgwalstream.flink.rowdata.toast.PgToastLookup;
import io.pgwalstream.flink.rowdata.toast.ToastFillOptions;
import io.pgwalstream.protocol.RelationColumn;
import io.pgwalstream.protocol.ReplicaIdentity;
import io.pgwalstream.types.OutOfLineStorage;
import io.pgwalstream.types.PgTypeRegistry;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.types.logical.LogicalType;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.util.ArrayList;
import java.util.List;

/**
 * Tells the user, when the query is planned, what happens to values an UPDATE leaves out of the WAL
 * (unchanged TOAST) in each upsert-read table, and refuses a fill that cannot work.
 */
@Internal
final class ToastPlanningCheck {

    private static final Logger LOG = LoggerFactory.getLogger(ToastPlanningCheck.class);

    private ToastPlanningCheck() {}

    /**
     * Decides the unchanged-TOAST policy of a scan and says at INFO what it means for each table.
     * Unset, the policy is {@code FILL} for upsert tables and {@code FAIL} otherwise, and a value
     * state lacks is looked up by key where a lookup can work (one table, a key that can be sent)
     * and fails the job elsewhere.
     *
     * @throws ValidationException when lookups are asked for where they cannot work
     */
    static UnchangedToastChoice check(
            PgWalStreamTableConfig config,
            ResolvedChangelogMode mode,
            List<PgTableFacts> tables,
            List<String> fieldNames,
            List<LogicalType> fieldTypes,
            List<String> primaryKey,
            PgTypeRegistry registry,
            String flinkTable) {
        UnchangedToastOptions options = config.toast();
        UnchangedToast policy = options.policy();
        if (policy == null) {
            policy =
                    mode == ResolvedChangelogMode.UPSERT
                            ? UnchangedToast.FILL
                            : UnchangedToast.FAIL;
        }
        if (mode == ResolvedChangelogMode.ALL) {
            if (policy == UnchangedToast.FILL) {
                LOG.info(
                        "{}: the tables have REPLICA IDENTITY FULL, whose old rows carry every"
                                + " unchanged value: '{}' = 'FILL' keeps no state",
                        flinkTable,
                        PgConversionOptions.UNCHANGED_TOAST.key());
            }
            return new UnchangedToastChoice(policy, MissingValuePolicy.FAIL);
        }
        MissingValuePolicy missing = MissingValuePolicy.FAIL;
        if (policy == UnchangedToast.FILL && anyCanArriveUnchanged(tables, fieldNames, registry)) {
            missing =
                    missingValuePolicy(
                            options, tables, fieldNames, fieldTypes, primaryKey, flinkTable);
        }
        logPerTable(policy, missing, tables, fieldNames, primaryKey, registry, flinkTable);
        return new UnchangedToastChoice(policy, missing);
    }

    private static void logPerTable(
            UnchangedToast policy,
            MissingValuePolicy missing,
            List<PgTableFacts> tables,
            List<String> fieldNames,
            List<String> primaryKey,
            PgTypeRegistry registry,
            String flinkTable) {
        for (PgTableFacts table : tables) {
            if (table.replicaIdentity() == ReplicaIdentity.FULL) {
                continue; // its old rows carry every unchanged value
            }
            List<String> columns = columnsThatCanArriveUnchanged(table, fieldNames, registry);
            if (columns.isEmpty()) {
                continue;
            }
            String what =
                    flinkTable
                            + ": "
                            + table.name()
                            + " (REPLICA IDENTITY "
                            + table.replicaIdentitySql()
                            + ") has columns whose values PostgreSQL may store out of line "
                            + columns
                            + "; an UPDATE that leaves such a value alone does not send it.";
            switch (policy) {
                case FILL:
                    LOG.info(
                            "{} They are filled from Flink state keyed by {}: state keeps each"
                                    + " row's values of these columns that may be stored out of"
                                    + " line (text and bytea over {} bytes; jsonb, arrays and"
                                    + " other types whatever their size). A value state lacks is"
                                    + " {} ('{}').",
                            what,
                            primaryKey,
                            OutOfLineStorage.MAX_NEVER_EXTERNAL,
                            missing == MissingValuePolicy.LOOKUP
                                    ? "read from the table by key"
                                    : "an error",
                            ToastFillOptions.MISSING.key());
                    break;
                case FAIL:
                    LOG.info(
                            "{} Such an update fails the job ('{}' = 'FAIL'). Set it to 'FILL' to"
                                    + " fill the true value from Flink state, or run {} (about"
                                    + " doubles the WAL of updates).",
                            what,
                            PgConversionOptions.UNCHANGED_TOAST.key(),
                            table.replicaIdentityFullDdl());
                    break;
                default:
                    LOG.info(
                            "{} Such an update emits {} instead of the value ('{}' = '{}'); 'FILL'"
                                    + " gives the true value.",
                            what,
                            policy == UnchangedToast.PLACEHOLDER ? "a placeholder" : "NULL",
                            PgConversionOptions.UNCHANGED_TOAST.key(),
                            policy);
            }
        }
    }

    /** Whether a read column of a table without FULL identity can arrive unchanged. */
    static boolean anyCanArriveUnchanged(
            List<PgTableFacts> tables, List<String> fieldNames, PgTypeRegistry registry) {
        return tables.stream()
                .anyMatch(
                        t ->
                                t.replicaIdentity() != ReplicaIdentity.FULL
                                        && !columnsThatCanArriveUnchanged(t, fieldNames, registry)
                                                .isEmpty());
    }

    /** The read columns of {@code table} whose type lets values be stored out of line. */
    static List<String> columnsThatCanArriveUnchanged(
            PgTableFacts table, List<String> fieldNames, PgTypeRegistry registry) {
        List<String> result = new ArrayList<>();
        for (RelationColumn column : table.columns()) {
            if (fieldNames.contains(column.name())
                    && OutOfLineStorage.ruleFor(registry.resolve(column.typeOid()))
                            != OutOfLineStorage.Rule.NEVER) {
                result.add(column.name());
            }
        }
        return result;
    }

    private static MissingValuePolicy missingValuePolicy(
            UnchangedToastOptions options,
            List<PgTableFacts> tables,
            List<String> fieldNames,
            List<LogicalType> fieldTypes,
            List<String> primaryKey,
            String flinkTable) {
        String obstacle = lookupObstacle(tables, fieldNames, fieldTypes, primaryKey, flinkTable);
        if (options.missing() == MissingValuePolicy.FAIL) {
            return MissingValuePolicy.FAIL;
        }
        if (options.missing() == MissingValuePolicy.LOOKUP) {
            if (obstacle != null) {
                throw new ValidationException(
                        obstacle
                                + " Set '"
                                + ToastFillOptions.MISSING.key()
                                + "' = 'FAIL' to fill from state only.");
            }
            return MissingValuePolicy.LOOKUP;
        }
        if (obstacle != null) {
            LOG.info(
                    "{} Values Flink state lacks therefore fail the job; an initial snapshot"
                            + " ('scan.startup.mode' = 'initial') fills state with every value.",
                    obstacle);
            return MissingValuePolicy.FAIL;
        }
        return MissingValuePolicy.LOOKUP;
    }

    /** Why values state lacks cannot be looked up by key, or null if they can. */
    @Nullable
    private static String lookupObstacle(
            List<PgTableFacts> tables,
            List<String> fieldNames,
            List<LogicalType> fieldTypes,
            List<String> primaryKey,
            String flinkTable) {
        if (tables.size() != 1) {
            return flinkTable
                    + " reads "
                    + tables.size()
                    + " tables, and a value Flink state lacks can only be looked up in one:"
                    + " declare one Flink table per PostgreSQL table.";
        }
        for (String key : primaryKey) {
            LogicalType type = fieldTypes.get(fieldNames.indexOf(key));
            if (!PgToastLookup.supportsKeyType(type)) {
                return flinkTable
                        + ": values Flink state lacks are looked up by the primary key, and key"
                        + " column "
                        + key
                        + " of type "
                        + type
                        + " cannot be sent as a lookup parameter (strings, numbers, booleans,"
                        + " dates, times, timestamps and bytes can).";
            }
        }
        return null;
    }
}
