package io.pgwalstream.flink.rowdata;

import io.pgwalstream.changes.ChangeEvent;
import io.pgwalstream.changes.ChangeKind;
import io.pgwalstream.changes.ChangePosition;
import io.pgwalstream.changes.TransactionInfo;
import io.pgwalstream.protocol.LogicalMessage;
import io.pgwalstream.protocol.OldTupleKind;

import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.util.Collector;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MessageRowDeserializerTest {

    private static final RowType ALL =
            (RowType)
                    DataTypes.ROW(
                                    DataTypes.FIELD("prefix", DataTypes.STRING()),
                                    DataTypes.FIELD("content", DataTypes.BYTES()),
                                    DataTypes.FIELD("transactional", DataTypes.BOOLEAN()),
                                    DataTypes.FIELD("lsn", DataTypes.STRING()),
                                    DataTypes.FIELD("xid", DataTypes.BIGINT()),
                                    DataTypes.FIELD("commit_time", DataTypes.TIMESTAMP_LTZ(3)))
                            .getLogicalType();

    private static ChangeEvent message(String prefix, boolean transactional, String content) {
        byte[] bytes = ("xx" + content).getBytes(StandardCharsets.UTF_8);
        LogicalMessage m =
                new LogicalMessage(
                        0,
                        transactional ? LogicalMessage.TRANSACTIONAL : 0,
                        0x16B3748L,
                        prefix,
                        bytes,
                        2,
                        bytes.length - 2);
        TransactionInfo tx =
                transactional
                        ? new TransactionInfo(-5, 0x16B3800L, 0x16B3830L, 0, null, null)
                        : TransactionInfo.nonTransactional(0x16B3748L);
        return new ChangeEvent(
                ChangeKind.MESSAGE,
                new ChangePosition(tx.commitLsn(), tx.commitEndLsn(), 0),
                tx,
                null,
                OldTupleKind.NONE,
                null,
                null,
                List.of(),
                0,
                m);
    }

    private static List<RowData> rows(MessageRowDeserializer d, ChangeEvent... events) {
        List<RowData> out = new ArrayList<>();
        Collector<RowData> collector =
                new Collector<>() {
                    @Override
                    public void collect(RowData record) {
                        out.add(record);
                    }

                    @Override
                    public void close() {}
                };
        for (ChangeEvent e : events) {
            d.deserialize(e, collector);
        }
        return out;
    }

    @Test
    void everyColumnOfATransactionalMessage() {
        RowData row =
                rows(new MessageRowDeserializer(ALL, List.of(), null), message("app", true, "hé"))
                        .get(0);
        assertThat(row.getString(0).toString()).isEqualTo("app");
        assertThat(row.getBinary(1)).isEqualTo("hé".getBytes(StandardCharsets.UTF_8));
        assertThat(row.getBoolean(2)).isTrue();
        assertThat(row.getString(3).toString()).isEqualTo("0/16B3748");
        // xid is unsigned 32 bits.
        assertThat(row.getLong(4)).isEqualTo(4_294_967_291L);
        assertThat(row.getTimestamp(5, 3))
                .isEqualTo(TimestampData.fromEpochMillis(946_684_800_000L));
    }

    @Test
    void aNonTransactionalMessageHasNoXidNorCommitTime() {
        RowData row =
                rows(new MessageRowDeserializer(ALL, List.of(), null), message("app", false, "x"))
                        .get(0);
        assertThat(row.getBoolean(2)).isFalse();
        assertThat(row.isNullAt(4)).isTrue();
        assertThat(row.isNullAt(5)).isTrue();
    }

    @Test
    void contentAsStringAndThePrefixFilter() {
        RowType text =
                (RowType)
                        DataTypes.ROW(DataTypes.FIELD("content", DataTypes.STRING()))
                                .getLogicalType();
        MessageRowDeserializer d = new MessageRowDeserializer(text, List.of("a", "b"), null);
        List<RowData> out =
                rows(
                        d,
                        message("a", true, "one ✓"),
                        message("c", true, "no"),
                        message("b", false, "two"));
        assertThat(out).extracting(r -> r.getString(0).toString()).containsExactly("one ✓", "two");
    }

    @Test
    void unknownColumnsAndWrongTypesAreRefused() {
        assertThatThrownBy(
                        () ->
                                new MessageRowDeserializer(
                                        (RowType)
                                                DataTypes.ROW(
                                                                DataTypes.FIELD(
                                                                        "body", DataTypes.STRING()))
                                                        .getLogicalType(),
                                        List.of(),
                                        null))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("no column 'body'")
                .hasMessageContaining("prefix, content");
        assertThatThrownBy(
                        () ->
                                new MessageRowDeserializer(
                                        (RowType)
                                                DataTypes.ROW(
                                                                DataTypes.FIELD(
                                                                        "xid", DataTypes.INT()))
                                                        .getLogicalType(),
                                        List.of(),
                                        null))
                .hasMessageContaining("'xid' of a message stream is declared INT")
                .hasMessageContaining("BIGINT");
    }
}
