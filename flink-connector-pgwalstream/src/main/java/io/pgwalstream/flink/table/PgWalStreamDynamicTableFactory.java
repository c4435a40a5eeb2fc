package io.pgwalstream.flink.table;

import io.pgwalstream.flink.rowdata.ChangelogOptions;
import io.pgwalstream.flink.rowdata.MessageRowDeserializer;
import io.pgwalstream.flink.rowdata.PgConversionOptions;
import io.pgwalstream.flink.rowdata.toast.ToastFillOptions;

import org.apache.flink.annotation.Internal;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.table.catalog.ResolvedSchema;
import org.apache.flink.table.catalog.UniqueConstraint;
import org.apache.flink.table.connector.source.DynamicTableSource;
import org.apache.flink.table.factories.DynamicTableSourceFactory;
import org.apache.flink.table.factories.FactoryUtil;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RowType;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static io.pgwalstream.flink.table.PgWalStreamOptions.*;

/**
 * {@code 'connector' = 'pg-walstream'}: reads the options, looks at the server once to decide the
 * changelog mode from the tables' REPLICA IDENTITY and to check columns and publications, and
 * creates the {@link PgWalStreamDynamicTableSource}.
 */
@Internal
public final class PgWalStreamDynamicTableFactory implements DynamicTableSourceFactory {

    public static final String IDENTIFIER = "pg-walstream";

    @Override
    public String factoryIdentifier() {
        return IDENTIFIER;
    }

    @Override
    public Set<ConfigOption<?>> requiredOptions() {
        return new LinkedHashSet<>(List.of(HOSTNAME, USERNAME, DATABASE_NAME, SLOT_NAME));
    }

    @Override
    public Set<ConfigOption<?>> optionalOptions() {
        return new LinkedHashSet<>(
                List.of(
                        PORT,
                        PASSWORD,
                        STREAM,
                        MESSAGES_PREFIX,
                        SCHEMA_NAME,
                        TABLE_NAME,
                        SLOT_AUTO_CREATE,
                        SLOT_FAILOVER,
                        SLOT_SHARDS,
                        PUBLICATION_NAME,
                        PUBLICATION_AUTO_CREATE,
                        SCAN_STARTUP_MODE,
                        SCAN_STARTUP_SPECIFIC_LSN,
                        SCAN_SNAPSHOT_CHUNK_SIZE,
                        SCAN_SNAPSHOT_CHUNK_KEY_COLUMN,
                        SCAN_SNAPSHOT_CHUNK_MAX_BYTES,
                        SCAN_SNAPSHOT_READERS,
                        SCAN_SNAPSHOT_TABLE_METRICS,
                        SCAN_SNAPSHOT_FETCH_SIZE,
                        SCAN_BOUNDED_MODE,
                        SCAN_BOUNDED_SPECIFIC_LSN,
                        CHANGELOG_MODE,
                        ChangelogOptions.TRUNCATE_MODE,
                        ChangelogOptions.DROPPED_COLUMN_MODE,
                        SCAN_ACCEPT_RESTORE_GAP,
                        DECODING_PROTOCOL_VERSION,
                        DECODING_BINARY,
                        DECODING_STREAMING,
                        DECODING_TWO_PHASE,
                        DECODING_MESSAGES,
                        DECODING_ORIGIN,
                        STATUS_INTERVAL,
                        RECEIVE_LINGER,
                        RECEIVE_TIMEOUT,
                        RECONNECT_INITIAL_BACKOFF,
                        RECONNECT_MAX_BACKOFF,
                        RECONNECT_MAX_ATTEMPTS,
                        RECONNECT_MAX_TOTAL_TIME,
                        TRANSACTION_BUFFER_MEMORY,
                        TRANSACTION_BUFFER_SPILL_DIR,
                        PgConversionOptions.NUMERIC_SPECIAL_VALUES,
                        PgConversionOptions.TEMPORAL_SPECIAL_VALUES,
                        PgConversionOptions.MULTI_DIMENSIONAL_ARRAYS,
                        PgConversionOptions.OVERSIZED_NUMERIC,
                        PgConversionOptions.NUMERIC_OVERFLOW,
                        PgConversionOptions.UNCHANGED_TOAST,
                        PgConversionOptions.UNCHANGED_TOAST_PLACEHOLDER,
                        ToastFillOptions.MISSING,
                        PgConversionOptions.SHARE_MESSAGE_BUFFER));
    }

    @Override
    public DynamicTableSource createDynamicTableSource(Context context) {
        FactoryUtil.TableFactoryHelper helper = FactoryUtil.createTableFactoryHelper(this, context);
        helper.validateExcept(PROPERTIES_PREFIX);
        PgWalStreamTableConfig config =
                PgWalStreamTableConfig.from(
                        helper.getOptions(),
                        driverProperties(context.getCatalogTable().getOptions()));

        DataType physical = context.getPhysicalRowDataType();
        RowType rowType = (RowType) physical.getLogicalType();
        if (config.stream() == StreamKind.MESSAGES) {
            // Checks the declared columns now, at planning.
            new MessageRowDeserializer(rowType, config.messagePrefixes(), null);
            return new PgWalStreamMessageTableSource(
                    config, physical, context.getObjectIdentifier().asSummaryString());
        }
        List<LogicalType> types = rowType.getChildren();
        ResolvedSchema schema = context.getCatalogTable().getResolvedSchema();
        List<String> primaryKey =
                schema.getPrimaryKey().map(UniqueConstraint::getColumns).orElse(List.of());
        String flinkTable = "Flink table " + context.getObjectIdentifier().asSummaryString();
        PlannedTables planned =
                ServerPlanning.plan(config, rowType.getFieldNames(), types, primaryKey, flinkTable);
        return new PgWalStreamDynamicTableSource(
                config,
                planned,
                physical,
                primaryKey,
                context.getObjectIdentifier().asSummaryString());
    }

    /** The {@code properties.*} options without the prefix: pgjdbc connection properties. */
    static Map<String, String> driverProperties(Map<String, String> tableOptions) {
        Map<String, String> properties = new TreeMap<>();
        tableOptions.forEach(
                (key, value) -> {
                    if (key.startsWith(PROPERTIES_PREFIX)) {
                        properties.put(key.substring(PROPERTIES_PREFIX.length()), value);
                    }
                });
        return properties;
    }
}
