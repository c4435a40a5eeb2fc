package io.pgwalstream.flink.table;

import io.pgwalstream.flink.rowdata.ConversionPolicies;
import io.pgwalstream.flink.rowdata.MetadataColumn;
import io.pgwalstream.flink.rowdata.PgConversionOptions.UnchangedToast;
import io.pgwalstream.flink.rowdata.ResolvedChangelogMode;
import io.pgwalstream.flink.rowdata.RowDataChangelogDeserializer;
import io.pgwalstream.flink.source.PgWalStreamSource;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSource;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.table.connector.ProviderContext;
import org.apache.flink.table.connector.source.DataStreamScanProvider;
import org.apache.flink.table.connector.source.DynamicTableSource;
import org.apache.flink.table.connector.source.ScanTableSource;
import org.apache.flink.table.connector.source.abilities.SupportsProjectionPushDown;
import org.apache.flink.table.connector.source.abilities.SupportsReadingMetadata;
import org.apache.flink.table.connector.source.abilities.SupportsWatermarkPushDown;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.RowType;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code pg-walstream} scan source: a {@link PgWalStreamSource} over the planned slot groups,
 * producing RowData through {@link RowDataChangelogDeserializer}. Reads only the projected columns,
 * appends the requested metadata columns, and applies a pushed-down watermark strategy in the
 * source (records carry the commit time as their timestamp).
 */
@Internal
public final class PgWalStreamDynamicTableSource
        implements ScanTableSource,
                SupportsProjectionPushDown,
                SupportsReadingMetadata,
                SupportsWatermarkPushDown {

    private final PgWalStreamTableConfig config;
    private final PlannedTables planned;
    private final List<String> primaryKey;
    private final String flinkTable;

    private DataType physicalType;
    private List<MetadataColumn> metadata = List.of();
    private WatermarkStrategy<RowData> watermarkStrategy;

    PgWalStreamDynamicTableSource(
            PgWalStreamTableConfig config,
            PlannedTables planned,
            DataType physicalType,
            List<String> primaryKey,
            String flinkTable) {
        this.config = config;
        this.planned = planned;
        this.physicalType = physicalType;
        this.primaryKey = List.copyOf(primaryKey);
        this.flinkTable = flinkTable;
    }

    @Override
    public ChangelogMode getChangelogMode() {
        return planned.mode().toFlink();
    }

    @Override
    public ScanRuntimeProvider getScanRuntimeProvider(ScanContext context) {
        DataType produced = producedDataType();
        ToastFill fill =
                ToastFill.plan(
                        config,
                        planned,
                        (RowType) produced.getLogicalType(),
                        DataType.getFieldCount(physicalType),
                        primaryKey);
        DataType deserialized = fill == null ? produced : fill.deserializedType();
        PgWalStreamSource<RowData> source =
                TableSourceBuilders.of(config, planned.groups())
                        .deserializer(
                                deserializer(
                                        (RowType) physicalType.getLogicalType(),
                                        context.createTypeInformation(deserialized),
                                        fill != null))
                        .build();
        WatermarkStrategy<RowData> watermarks =
                watermarkStrategy == null ? WatermarkStrategy.noWatermarks() : watermarkStrategy;
        String name = "pg-walstream " + flinkTable;
        boolean bounded = TableSourceBuilders.bounded(config);
        return new DataStreamScanProvider() {
            @Override
            public DataStream<RowData> produceDataStream(
                    ProviderContext providerContext, StreamExecutionEnvironment env) {
                DataStreamSource<RowData> stream = env.fromSource(source, watermarks, name);
                providerContext.generateUid("pg-walstream-source").ifPresent(stream::uid);
                if (fill == null) {
                    return stream;
                }
                SingleOutputStreamOperator<RowData> filled = fill.apply(stream);
                providerContext.generateUid("pg-walstream-toast-fill").ifPresent(filled::uid);
                return filled;
            }

            @Override
            public boolean isBounded() {
                return bounded;
            }
        };
    }

    /**
     * @param fill whether the rows go on to the unchanged-TOAST fill; without it, FILL has nothing
     *     to do (no read column can arrive unchanged) and the rows keep their declared shape
     */
    RowDataChangelogDeserializer deserializer(
            RowType physical, TypeInformation<RowData> type, boolean fill) {
        UnchangedToast policy = planned.toast().policy();
        if (!fill && policy == UnchangedToast.FILL) {
            policy = UnchangedToast.FAIL;
        }
        ConversionPolicies conversion = config.conversion().withUnchangedToast(policy);
        RowDataChangelogDeserializer.Builder b =
                RowDataChangelogDeserializer.builder(physical, type)
                        .metadata(metadata)
                        .database(config.connection().database())
                        .relationOids(planned.relationOids())
                        .userTypes(planned.userTypes())
                        .conversion(conversion)
                        .droppedColumns(config.droppedColumnMode())
                        .truncate(config.truncateMode());
        if (planned.mode() == ResolvedChangelogMode.UPSERT) {
            b.upsert(primaryKey);
        } else {
            b.allRowKinds();
        }
        return b.build();
    }

    private DataType producedDataType() {
        List<DataType> fields = new ArrayList<>();
        List<String> names = new ArrayList<>(DataType.getFieldNames(physicalType));
        fields.addAll(DataType.getFieldDataTypes(physicalType));
        for (MetadataColumn column : metadata) {
            names.add(column.key());
            fields.add(column.dataType());
        }
        DataTypes.Field[] all = new DataTypes.Field[fields.size()];
        for (int i = 0; i < all.length; i++) {
            all[i] = DataTypes.FIELD(names.get(i), fields.get(i));
        }
        return DataTypes.ROW(all).notNull();
    }

    @Override
    public boolean supportsNestedProjection() {
        return false;
    }

    @Override
    public void applyProjection(int[][] projectedFields, DataType producedDataType) {
        List<String> names = DataType.getFieldNames(physicalType);
        List<DataType> types = DataType.getFieldDataTypes(physicalType);
        DataTypes.Field[] fields = new DataTypes.Field[projectedFields.length];
        for (int i = 0; i < projectedFields.length; i++) {
            int index = projectedFields[i][0];
            fields[i] = DataTypes.FIELD(names.get(index), types.get(index));
        }
        this.physicalType = DataTypes.ROW(fields).notNull();
    }

    @Override
    public Map<String, DataType> listReadableMetadata() {
        Map<String, DataType> result = new LinkedHashMap<>();
        for (MetadataColumn column : MetadataColumn.values()) {
            result.put(column.key(), column.dataType());
        }
        return result;
    }

    @Override
    public void applyReadableMetadata(List<String> metadataKeys, DataType producedDataType) {
        List<MetadataColumn> columns = new ArrayList<>();
        for (String key : metadataKeys) {
            columns.add(MetadataColumn.ofKey(key));
        }
        this.metadata = List.copyOf(columns);
    }

    @Override
    public void applyWatermark(WatermarkStrategy<RowData> strategy) {
        this.watermarkStrategy = strategy;
    }

    @Override
    public DynamicTableSource copy() {
        PgWalStreamDynamicTableSource copy =
                new PgWalStreamDynamicTableSource(
                        config, planned, physicalType, primaryKey, flinkTable);
        copy.metadata = metadata;
        copy.watermarkStrategy = watermarkStrategy;
        return copy;
    }

    /** Never includes the password: the plan and the UI show this. */
    @Override
    public String asSummaryString() {
        return "pg-walstream";
    }
}
