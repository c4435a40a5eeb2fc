package io.pgwalstream.flink.rowdata;

import io.pgwalstream.changes.ChangeEvent;
import io.pgwalstream.changes.ChangeKind;
import io.pgwalstream.changes.ChangePosition;
import io.pgwalstream.changes.RelationSchema;
import io.pgwalstream.changes.TransactionInfo;
import io.pgwalstream.flink.rowdata.toast.ToastFillLayout;
import io.pgwalstream.flink.rowdata.toast.ToastFlags;
import io.pgwalstream.protocol.OldTupleKind;
import io.pgwalstream.protocol.PgTimestamps;
import io.pgwalstream.protocol.Relation;
import io.pgwalstream.protocol.RelationColumn;
import io.pgwalstream.protocol.ReplicaIdentity;
import io.pgwalstream.protocol.TupleData;
import io.pgwalstream.replication.TableName;

import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.types.RowKind;
import org.apache.flink.util.Collector;
import org.apache.flink.util.InstantiationUtil;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static io.pgwalstream.protocol.TupleBuilder.texts;
import static io.pgwalstream.protocol.TupleBuilder.tuple;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RowDataChangelogDeserializerTest {

    private static final int INT4 = 23;
    private static final int TEXT = 25;
    private static final RowType ID_V =
            (RowType)
                    DataTypes.ROW(
                                    DataTypes.FIELD("id", DataTypes.INT().notNull()),
                                    DataTypes.FIELD("v", DataTypes.STRING()))
                            .getLogicalType();
    private static final Instant COMMIT = Instant.parse("2024-05-06T07:08:09.123456Z");
    private static final TransactionInfo TX =
            new TransactionInfo(
                    -2, 0x16B3748L, 0, PgTimestamps.fromInstant(COMMIT), "remote", null);

    private final List<RowData> out = new ArrayList<>();
    private final Collector<RowData> collector =
            new Collector<>() {
                @Override
                public void collect(RowData record) {
                    out.add(record);
                }

                @Override
                public void close() {}
            };

    private int index;

    @Test
    void allRowKindsFromAFullTable() throws Exception {
        RowDataChangelogDeserializer d = builder().allRowKinds().build();
        RelationSchema items = relation("items", ReplicaIdentity.FULL, "id", "v");

        d.deserialize(insert(items, texts("1", "a")), collector);
        d.deserialize(
                update(items, OldTupleKind.FULL, texts("1", "a"), texts("1", "b")), collector);
        d.deserialize(delete(items, OldTupleKind.FULL, texts("1", "b")), collector);

        assertThat(rows()).containsExactly("+I(1,a)", "-U(1,a)", "+U(1,b)", "-D(1,b)");
    }

    @Test
    void anUpdateWithoutAFullOldRowIsAClearErrorWhenEveryRowKindIsPromised() {
        RowDataChangelogDeserializer d = builder().allRowKinds().build();
        RelationSchema items = relation("items", ReplicaIdentity.FULL, "id", "v");

        assertThatThrownBy(
                        () ->
                                d.deserialize(
                                        update(items, OldTupleKind.NONE, null, texts("1", "b")),
                                        collector))
                .isInstanceOf(ChangelogConversionException.class)
                .hasMessageContaining("REPLICA IDENTITY FULL");
    }

    @Test
    void upsertRowsAndAKeyChangeRetractsTheOldKey() throws Exception {
        RowDataChangelogDeserializer d = builder().upsert(List.of("id")).build();
        RelationSchema items = relation("items", ReplicaIdentity.DEFAULT, "id", "v");

        d.deserialize(insert(items, texts("1", "a")), collector);
        d.deserialize(update(items, OldTupleKind.NONE, null, texts("1", "b")), collector);
        d.deserialize(
                update(items, OldTupleKind.KEY, texts("1", null), texts("2", "b")), collector);
        d.deserialize(delete(items, OldTupleKind.KEY, texts("2", null)), collector);

        assertThat(rows())
                .containsExactly("+I(1,a)", "+U(1,b)", "-D(1,null)", "+U(2,b)", "-D(2,null)");
    }

    @Test
    void underFillUpsertRowsEndWithTheFlagsAndTheXidForTheFillOperator() throws Exception {
        ToastFillLayout layout = ToastFillLayout.appendingHiddenFields(ID_V, new int[] {0});
        RowDataChangelogDeserializer d =
                RowDataChangelogDeserializer.builder(ID_V, InternalTypeInfo.of(layout.inputType()))
                        .upsert(List.of("id"))
                        .conversion(
                                ConversionPolicies.defaults()
                                        .withUnchangedToast(
                                                PgConversionOptions.UnchangedToast.FILL))
                        .build();
        RelationSchema items = relation("items", ReplicaIdentity.DEFAULT, "id", "v");
        String large = "v".repeat(100);

        d.deserialize(insert(items, texts("1", "short")), collector);
        d.deserialize(insert(items, texts("2", large)), collector);
        d.deserialize(
                update(items, OldTupleKind.NONE, null, tuple().text("2").unchangedToast().build()),
                collector);

        assertThat(out).hasSize(3);
        for (RowData row : out) {
            assertThat(row.getArity()).isEqualTo(4);
            assertThat(row.getLong(layout.xidField())).isEqualTo(Integer.toUnsignedLong(TX.xid()));
        }
        assertThat(out.get(0).isNullAt(layout.flagsField())).isTrue(); // nothing to keep
        assertThat(out.get(1).getBinary(layout.flagsField()))
                .containsExactly(ToastFlags.NOT_KEPT, ToastFlags.KEEP);
        assertThat(out.get(2).isNullAt(1)).isTrue();
        assertThat(out.get(2).getBinary(layout.flagsField()))
                .containsExactly(ToastFlags.NOT_KEPT, ToastFlags.UNCHANGED);

        // Under REPLICA IDENTITY FULL read with every row kind the old row fills in: no fields.
        out.clear();
        RowDataChangelogDeserializer all =
                builder()
                        .allRowKinds()
                        .conversion(
                                ConversionPolicies.defaults()
                                        .withUnchangedToast(
                                                PgConversionOptions.UnchangedToast.FILL))
                        .build();
        RelationSchema full = relation("items", ReplicaIdentity.FULL, "id", "v");
        all.deserialize(insert(full, texts("1", large)), collector);
        assertThat(out.get(0).getArity()).isEqualTo(2);
    }

    @Test
    void anOldKeyEqualToTheNewOneRetractsNothing() throws Exception {
        // PostgreSQL also sends the old key when the key is stored out of line and unchanged;
        // the new row then has it as 'u', filled from the old key.
        RowDataChangelogDeserializer d = builder().upsert(List.of("id")).build();
        RelationSchema items = relation("items", ReplicaIdentity.DEFAULT, "id", "v");

        d.deserialize(
                update(
                        items,
                        OldTupleKind.KEY,
                        texts("1", null),
                        tuple().unchangedToast().text("b").build()),
                collector);

        assertThat(rows()).containsExactly("+U(1,b)");
    }

    @Test
    void aFullTableReadAsUpsertsRetractsTheOldKeyOnlyWhenItChanged() throws Exception {
        RowDataChangelogDeserializer d = builder().upsert(List.of("id")).build();
        RelationSchema items = relation("items", ReplicaIdentity.FULL, "id", "v");

        d.deserialize(
                update(items, OldTupleKind.FULL, texts("1", "a"), texts("1", "b")), collector);
        d.deserialize(
                update(items, OldTupleKind.FULL, texts("1", "b"), texts("2", "b")), collector);
        d.deserialize(delete(items, OldTupleKind.FULL, texts("2", "b")), collector);

        assertThat(rows()).containsExactly("+U(1,b)", "-D(1,b)", "+U(2,b)", "-D(2,b)");
    }

    @Test
    void anIdentityThatNoLongerMatchesTheKeyFails() {
        RowDataChangelogDeserializer d = builder().upsert(List.of("id")).build();
        Relation byV =
                new Relation(
                        0,
                        16_400,
                        "public",
                        "items",
                        ReplicaIdentity.INDEX,
                        List.of(
                                new RelationColumn(0, "id", INT4, -1),
                                new RelationColumn(RelationColumn.FLAG_KEY, "v", TEXT, -1)));

        assertThatThrownBy(
                        () ->
                                d.deserialize(
                                        insert(RelationSchema.of(byV), texts("1", "a")), collector))
                .isInstanceOf(ChangelogConversionException.class)
                .hasMessageContaining("identifies rows by (v)")
                .hasMessageContaining("primary key is (id)");
    }

    @Test
    void aFullTableWhoseIdentityWasLoweredFailsInAllMode() {
        RowDataChangelogDeserializer d = builder().allRowKinds().build();
        RelationSchema items = relation("items", ReplicaIdentity.DEFAULT, "id", "v");

        assertThatThrownBy(() -> d.deserialize(insert(items, texts("1", "a")), collector))
                .isInstanceOf(ChangelogConversionException.class)
                .hasMessageContaining("now has REPLICA IDENTITY DEFAULT")
                .hasMessageContaining("ALTER TABLE \"public\".\"items\" REPLICA IDENTITY FULL");
    }

    @Test
    void columnsAreMatchedByNameAndAnAddedColumnIsIgnored() throws Exception {
        RowDataChangelogDeserializer d = builder().allRowKinds().build();
        d.deserialize(
                insert(relation("items", ReplicaIdentity.FULL, "id", "v"), texts("1", "a")),
                collector);
        // ALTER TABLE ADD COLUMN: the server announces a new shape; here also reordered.
        RelationSchema widened = relation("items", ReplicaIdentity.FULL, "extra", "v", "id");
        d.deserialize(insert(widened, texts("x", "b", "2")), collector);

        assertThat(rows()).containsExactly("+I(1,a)", "+I(2,b)");
    }

    @Test
    void aDroppedColumnFailsByDefaultAndNamesTheOption() {
        RowDataChangelogDeserializer d = builder().allRowKinds().build();
        RelationSchema narrowed = relation("items", ReplicaIdentity.FULL, "id");

        assertThatThrownBy(() -> d.deserialize(insert(narrowed, texts("1")), collector))
                .isInstanceOf(ChangelogConversionException.class)
                .hasMessageContaining("Column \"v\"")
                .hasMessageContaining("'schema-drift.dropped-column' = 'null'");
    }

    @Test
    void aDroppedColumnReadsAsNullWhenAskedTo() throws Exception {
        RowDataChangelogDeserializer d =
                builder().allRowKinds().droppedColumns(DroppedColumnMode.NULL).build();
        d.deserialize(insert(relation("items", ReplicaIdentity.FULL, "id"), texts("1")), collector);

        assertThat(rows()).containsExactly("+I(1,null)");
    }

    @Test
    void aDroppedNotNullColumnCannotBeFilledWithNull() {
        RowDataChangelogDeserializer d =
                builder().allRowKinds().droppedColumns(DroppedColumnMode.NULL).build();
        RelationSchema noId = relation("items", ReplicaIdentity.FULL, "v");

        assertThatThrownBy(() -> d.deserialize(insert(noId, texts("a")), collector))
                .isInstanceOf(ChangelogConversionException.class)
                .hasMessageContaining("NOT NULL");
    }

    @Test
    void truncateFailsByDefaultAndIsCountedWhenSkipped() throws Exception {
        RelationSchema items = relation("items", ReplicaIdentity.FULL, "id", "v");
        ChangeEvent truncate =
                new ChangeEvent(
                        ChangeKind.TRUNCATE,
                        position(),
                        TX,
                        null,
                        OldTupleKind.NONE,
                        null,
                        null,
                        List.of(items),
                        0,
                        null);

        assertThatThrownBy(() -> builder().build().deserialize(truncate, collector))
                .isInstanceOf(ChangelogConversionException.class)
                .hasMessageContaining("TRUNCATE of \"public\".\"items\"")
                .hasMessageContaining("'truncate.mode' = 'skip'");

        RowDataChangelogDeserializer skipping = builder().truncate(TruncateMode.SKIP).build();
        skipping.deserialize(truncate, collector);
        assertThat(out).isEmpty();
        assertThat(skipping.truncatesSkipped()).isEqualTo(1);
    }

    @Test
    void metadataColumnsFollowThePhysicalFields() throws Exception {
        RowDataChangelogDeserializer d =
                builder()
                        .allRowKinds()
                        .database("shop")
                        .metadata(List.of(MetadataColumn.values()))
                        .build();
        d.deserialize(
                insert(relation("items", ReplicaIdentity.FULL, "id", "v"), texts("1", "a")),
                collector);

        RowData row = out.get(0);
        assertThat(row.getArity()).isEqualTo(2 + MetadataColumn.values().length);
        assertThat(row.getString(2).toString()).isEqualTo("public");
        assertThat(row.getString(3).toString()).isEqualTo("items");
        assertThat(row.getString(4).toString()).isEqualTo("shop");
        assertThat(row.getTimestamp(5, 3))
                .isEqualTo(TimestampData.fromEpochMillis(COMMIT.toEpochMilli()));
        assertThat(row.getString(6).toString()).isEqualTo("0/16B3748");
        assertThat(row.getLong(7)).isEqualTo(4_294_967_294L);
        assertThat(row.getString(8).toString()).isEqualTo("remote");
        assertThat(row.getBoolean(9)).isFalse();
        assertThat(row.getString(10).toString()).isEqualTo("+I");
    }

    /** A snapshot row is +I with op_ts 0, the snapshot's LSN, xid 0 and from_snapshot true. */
    @Test
    void snapshotRowsAreInsertsMarkedAsFromTheSnapshot() throws Exception {
        RowDataChangelogDeserializer d =
                builder()
                        .allRowKinds()
                        .database("shop")
                        .metadata(List.of(MetadataColumn.values()))
                        .build();
        d.deserialize(
                ChangeEvent.snapshotRow(
                        0x16B3748L,
                        relation("items", ReplicaIdentity.FULL, "id", "v"),
                        texts("1", "a")),
                collector);

        RowData row = out.get(0);
        assertThat(row.getRowKind()).isEqualTo(RowKind.INSERT);
        assertThat(row.getInt(0)).isEqualTo(1);
        assertThat(row.getTimestamp(5, 3)).isEqualTo(TimestampData.fromEpochMillis(0));
        assertThat(row.getString(6).toString()).isEqualTo("0/16B3748");
        assertThat(row.getLong(7)).isZero();
        assertThat(row.isNullAt(8)).isTrue();
        assertThat(row.getBoolean(9)).isTrue();
        assertThat(row.getString(10).toString()).isEqualTo("+I");
    }

    @Test
    void rowsOfTablesOutsideTheTableSetAreDropped() throws Exception {
        RowDataChangelogDeserializer d =
                builder().allRowKinds().tables(Set.of(TableName.of("public", "items"))).build();
        d.deserialize(
                insert(relation("other", ReplicaIdentity.FULL, "id", "v"), texts("1", "a")),
                collector);
        d.deserialize(
                insert(relation("items", ReplicaIdentity.FULL, "id", "v"), texts("2", "b")),
                collector);

        assertThat(rows()).containsExactly("+I(2,b)");
    }

    @Test
    void survivesJavaSerializationAsTheSourceShipsIt() throws Exception {
        RowDataChangelogDeserializer d = builder().upsert(List.of("id")).build();
        RowDataChangelogDeserializer copy = InstantiationUtil.clone(d, getClass().getClassLoader());
        copy.deserialize(
                insert(relation("items", ReplicaIdentity.DEFAULT, "id", "v"), texts("1", "a")),
                collector);

        assertThat(rows()).containsExactly("+I(1,a)");
    }

    private static RowDataChangelogDeserializer.Builder builder() {
        return RowDataChangelogDeserializer.builder(ID_V, InternalTypeInfo.of(ID_V));
    }

    /** A relation whose key columns are those named "id". */
    private static RelationSchema relation(
            String table, ReplicaIdentity identity, String... names) {
        List<RelationColumn> columns = new ArrayList<>();
        for (String name : names) {
            boolean key = identity == ReplicaIdentity.FULL || name.equals("id");
            columns.add(
                    new RelationColumn(
                            key ? RelationColumn.FLAG_KEY : 0,
                            name,
                            name.equals("id") ? INT4 : TEXT,
                            -1));
        }
        return RelationSchema.of(
                new Relation(0, table.hashCode(), "public", table, identity, columns));
    }

    private ChangePosition position() {
        return new ChangePosition(TX.commitLsn(), 0, ++index);
    }

    private ChangeEvent insert(RelationSchema relation, TupleData after) {
        return new ChangeEvent(
                ChangeKind.INSERT,
                position(),
                TX,
                relation,
                OldTupleKind.NONE,
                null,
                after,
                List.of(),
                0,
                null);
    }

    private ChangeEvent update(
            RelationSchema relation, OldTupleKind kind, TupleData before, TupleData after) {
        return new ChangeEvent(
                ChangeKind.UPDATE,
                position(),
                TX,
                relation,
                kind,
                before,
                after,
                List.of(),
                0,
                null);
    }

    private ChangeEvent delete(RelationSchema relation, OldTupleKind kind, TupleData before) {
        return new ChangeEvent(
                ChangeKind.DELETE,
                position(),
                TX,
                relation,
                kind,
                before,
                null,
                List.of(),
                0,
                null);
    }

    private List<String> rows() {
        List<String> result = new ArrayList<>();
        for (RowData row : out) {
            result.add(
                    row.getRowKind().shortString()
                            + "("
                            + row.getInt(0)
                            + ","
                            + (row.isNullAt(1) ? "null" : row.getString(1).toString())
                            + ")");
        }
        return result;
    }
}
