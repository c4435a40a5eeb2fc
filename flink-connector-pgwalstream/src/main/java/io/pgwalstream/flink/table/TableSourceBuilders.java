package io.pgwalstream.flink.table;

import io.pgwalstream.flink.source.OriginFilter;
import io.pgwalstream.flink.source.PgWalStreamSource;
import io.pgwalstream.flink.source.PgWalStreamSourceBuilder;
import io.pgwalstream.flink.source.split.SlotGroup;

import org.apache.flink.table.data.RowData;

import java.util.List;

/** The DataStream source builder a table's options describe, shared by both kinds of table. */
final class TableSourceBuilders {

    private TableSourceBuilders() {}

    /** Everything but the deserializer: connection, decoding, session, positions, groups. */
    static PgWalStreamSourceBuilder<RowData> of(
            PgWalStreamTableConfig config, List<SlotGroup> groups) {
        PgWalStreamSourceBuilder<RowData> b =
                PgWalStreamSource.<RowData>builder()
                        .connection(config.connection())
                        .createPublications(config.publicationAutoCreate())
                        .createSlots(config.slotAutoCreate())
                        .failoverSlots(config.slotFailover())
                        .protoVersion(config.protocolVersion())
                        .binary(config.binary())
                        .streaming(config.streaming())
                        .twoPhase(config.twoPhase())
                        .messages(config.messages())
                        .origin(
                                config.origin() == null
                                        ? null
                                        : OriginFilter.ofOption(config.origin()))
                        .statusInterval(config.statusInterval())
                        .receiveLinger(config.receiveLinger())
                        .receiveTimeout(config.receiveTimeout())
                        .reconnectPolicy(config.reconnectPolicy())
                        .transactionBuffer(config.transactionBufferBytes(), config.spillDirectory())
                        .acceptRestoreGap(config.acceptRestoreGap())
                        .snapshotChunks(
                                config.snapshot().chunkRows(), config.snapshot().chunkKeyColumn());
        for (SlotGroup group : groups) {
            b.slotGroup(group.slotName(), group.publication(), group.tables());
        }
        switch (config.startupMode()) {
            case LATEST_OFFSET:
                b.startFromLatest();
                break;
            case SPECIFIC_LSN:
                b.startFromLsn(config.startLsn());
                break;
            case INITIAL:
                b.startWithSnapshot();
                break;
            case SNAPSHOT:
                b.snapshotOnly();
                break;
            default:
                b.startFromCommitted();
        }
        switch (config.boundedMode()) {
            case LATEST_OFFSET:
                b.stopAtCurrentLsn();
                break;
            case SPECIFIC_LSN:
                b.stopAt(config.stopLsn());
                break;
            default:
                break;
        }
        return b;
    }

    /** Whether the table is read to an end. */
    static boolean bounded(PgWalStreamTableConfig config) {
        return config.boundedMode() != ScanBoundedMode.UNBOUNDED
                || config.startupMode() == ScanStartupMode.SNAPSHOT;
    }
}
