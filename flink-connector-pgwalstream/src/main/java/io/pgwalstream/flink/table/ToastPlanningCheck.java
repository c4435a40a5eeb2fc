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

    static void check(
            PgWalStreamTableConfig config,
            ResolvedChangelogMode mode,
            List<PgTableFacts> tables,
            List<String> fieldNames,
            List<LogicalType> fieldTypes,
            List<String> primaryKey,
            PgTypeRegistry registry,
            String flinkTable) {
        UnchangedToast policy = config.conversion().unchangedToast();
        if (mode == ResolvedChangelogMode.ALL) {
            if (policy == UnchangedToast.FILL) {
                LOG.info(
                        "{}: the tables have REPLICA IDENTITY FULL, whose old rows carry every"
                                + " unchanged value: '{}' = 'FILL' keeps no state",
                        flinkTable,
                        PgConversionOptions.UNCHANGED_TOAST.key());
            }
            return;
        }
        MissingValuePolicy missing = config.toastMissing();
        if (policy == UnchangedToast.FILL && missing == MissingValuePolicy.LOOKUP) {
            requireLookup(tables, fieldNames, fieldTypes, primaryKey, flinkTable);
        }
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

    private static void requireLookup(
            List<PgTableFacts> tables,
            List<String> fieldNames,
            List<LogicalType> fieldTypes,
            List<String> primaryKey,
            String flinkTable) {
        String fix =
                " Set '" + ToastFillOptions.MISSING.key() + "' = 'FAIL' to fill from state only.";
        if (tables.size() != 1) {
            throw new ValidationException(
                    flinkTable
                            + " reads "
                            + tables.size()
                            + " tables, and a value Flink state lacks can only be looked up in"
                            + " one: declare one Flink table per PostgreSQL table."
                            + fix);
        }
        for (String key : primaryKey) {
            LogicalType type = fieldTypes.get(fieldNames.indexOf(key));
            if (!PgToastLookup.supportsKeyType(type)) {
                throw new ValidationException(
                        flinkTable
                                + ": values Flink state lacks are looked up by the primary key,"
                                + " and key column "
                                + key
                                + " of type "
                                + type
                                + " cannot be sent as a lookup parameter (strings, numbers,"
                                + " booleans, dates, times, timestamps and bytes can)."
                                + fix);
            }
        }
    }
}
