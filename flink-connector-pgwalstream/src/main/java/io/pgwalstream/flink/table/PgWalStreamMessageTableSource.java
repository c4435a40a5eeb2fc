package io.pgwalstream.flink.table;

import io.pgwalstream.flink.rowdata.MessageRowDeserializer;
import io.pgwalstream.flink.source.PgWalStreamSource;
import io.pgwalstream.flink.source.split.SlotGroup;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSource;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.table.connector.ProviderContext;
import org.apache.flink.table.connector.source.DataStreamScanProvider;
import org.apache.flink.table.connector.source.DynamicTableSource;
import org.apache.flink.table.connector.source.ScanTableSource;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.RowType;

import java.util.List;

/**
 * {@code 'stream' = 'messages'}: an insert-only table of the logical decoding messages written with
 * {@code pg_logical_emit_message}, read through one slot. The slot streams a publication like any
 * other (created empty when missing and {@code publication.auto-create} allows), but messages are
 * not filtered by publication, and row changes, if the publication has tables, are dropped.
 */
@Internal
final class PgWalStreamMessageTableSource implements ScanTableSource {

    private final PgWalStreamTableConfig config;
    private final DataType physicalType;
    private final String flinkTable;

    PgWalStreamMessageTableSource(
            PgWalStreamTableConfig config, DataType physicalType, String flinkTable) {
        this.config = config;
        this.physicalType = physicalType;
        this.flinkTable = flinkTable;
    }

    @Override
    public ChangelogMode getChangelogMode() {
        return ChangelogMode.insertOnly();
    }

    @Override
    public ScanRuntimeProvider getScanRuntimeProvider(ScanContext context) {
        MessageRowDeserializer deserializer =
                new MessageRowDeserializer(
                        (RowType) physicalType.getLogicalType(),
                        config.messagePrefixes(),
                        context.createTypeInformation(physicalType));
        // No tables: messages are not filtered by publication (config forces messages on).
        List<SlotGroup> group =
                List.of(new SlotGroup(config.slotName(), config.publicationName(), List.of()));
        PgWalStreamSource<RowData> source =
                TableSourceBuilders.of(config, group).deserializer(deserializer).build();
        String name = "pg-walstream messages " + flinkTable;
        boolean bounded = TableSourceBuilders.bounded(config);
        return new DataStreamScanProvider() {
            @Override
            public DataStream<RowData> produceDataStream(
                    ProviderContext providerContext, StreamExecutionEnvironment env) {
                DataStreamSource<RowData> stream =
                        env.fromSource(source, WatermarkStrategy.noWatermarks(), name);
                providerContext.generateUid("pg-walstream-messages").ifPresent(stream::uid);
                return stream;
            }

            @Override
            public boolean isBounded() {
                return bounded;
            }
        };
    }

    @Override
    public DynamicTableSource copy() {
        return new PgWalStreamMessageTableSource(config, physicalType, flinkTable);
    }

    /** Never includes the password: the plan and the UI show this. */
    @Override
    public String asSummaryString() {
        return "pg-walstream messages";
    }
}
