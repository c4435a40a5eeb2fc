package io.pgwalstream.changes;

import io.pgwalstream.changes.ColumnValueException.Reason;
import io.pgwalstream.protocol.OldTupleKind;
import io.pgwalstream.protocol.Relation;
import io.pgwalstream.protocol.RelationColumn;
import io.pgwalstream.protocol.ReplicaIdentity;
import io.pgwalstream.protocol.TupleData;
import io.pgwalstream.protocol.TypeMessage;
import io.pgwalstream.testing.values.Bin;
import io.pgwalstream.testing.values.Tuples;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Name-based typed access to change rows, from text and binary tuples alike. */
class ChangeRowTest {

    private static final LocalDateTime PG_EPOCH = LocalDateTime.of(2000, 1, 1, 0, 0);
    private static final UUID AN_UUID = UUID.fromString("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
    private static final LocalDateTime A_TIMESTAMP =
            LocalDateTime.of(2024, 2, 29, 12, 34, 56, 123_456_000);
    private static final Instant AN_INSTANT = Instant.parse("2024-02-29T11:34:56.500Z");

    /** Name, type OID, text form, binary form of one column of the every-type row. */
    private record Column(String name, int oid, String text, byte[] binary) {}

    private static final List<Column> EVERY_TYPE =
            List.of(
                    new Column("b", 16, "t", new byte[] {1}),
                    new Column("i2", 21, "-7", Bin.int2(-7)),
                    new Column("i4", 23, "2147483647", Bin.int4(Integer.MAX_VALUE)),
                    new Column("i8", 20, "-9223372036854775808", Bin.int8(Long.MIN_VALUE)),
                    new Column("o", 26, "4294967295", Bin.int4(-1)),
                    new Column("f4", 700, "1.5", Bin.float4(1.5f)),
                    new Column("f8", 701, "-0.1", Bin.float8(-0.1)),
                    new Column(
                            "n",
                            1700,
                            "12345678901234567890.0100",
                            Bin.numeric(new BigDecimal("12345678901234567890.0100"))),
                    new Column("by", 17, "\\x00ff10", new byte[] {0, -1, 16}),
                    new Column(
                            "ts",
                            1114,
                            "2024-02-29 12:34:56.123456",
                            Bin.int8(ChronoUnit.MICROS.between(PG_EPOCH, A_TIMESTAMP))),
                    new Column(
                            "tstz",
                            1184,
                            "2024-02-29 12:34:56.5+01",
                            Bin.int8(
                                    ChronoUnit.MICROS.between(
                                            PG_EPOCH.toInstant(ZoneOffset.UTC), AN_INSTANT))),
                    new Column("d", 1082, "1999-12-31", Bin.int4(-1)),
                    new Column("t", 1083, "23:59:59.999999", Bin.int8(86_399_999_999L)),
                    new Column(
                            "tz",
                            1266,
                            "12:00:00+05:30",
                            Bin.of().i64(12 * 3_600_000_000L).i32(-19_800).build()),
                    new Column(
                            "u",
                            2950,
                            AN_UUID.toString(),
                            Bin.of()
                                    .i64(AN_UUID.getMostSignificantBits())
                                    .i64(AN_UUID.getLeastSignificantBits())
                                    .build()),
                    new Column("j", 114, "{\"a\": [1, 2]}", Bin.text("{\"a\": [1, 2]}")),
                    new Column(
                            "jb",
                            3802,
                            "{\"a\": [1, 2]}",
                            Bin.of().i8(1).utf8("{\"a\": [1, 2]}").build()),
                    new Column("s", 25, "Zoë 😀", Bin.text("Zoë 😀")),
                    new Column(
                            "tags",
                            1009,
                            "{a,\"b c\",NULL}",
                            Bin.array(25, Bin.text("a"), Bin.text("b c"), null)),
                    new Column("ids", 1016, "{1,-2}", Bin.array(20, Bin.int8(1), Bin.int8(-2))),
                    new Column("days", 1182, "{}", Bin.array(1082)));

    private static final RelationSchema SCHEMA = schema(ReplicaIdentity.DEFAULT, EVERY_TYPE);

    private static RelationSchema schema(ReplicaIdentity identity, List<Column> columns) {
        List<RelationColumn> relationColumns = new ArrayList<>();
        for (Column c : columns) {
            relationColumns.add(new RelationColumn(c.name.equals("i4") ? 1 : 0, c.name, c.oid, -1));
        }
        return RelationSchema.of(
                new Relation(0, 16_400, "shop", "every_type", identity, relationColumns));
    }

    private static ChangeRow textRow() {
        Tuples t = Tuples.of();
        EVERY_TYPE.forEach(c -> t.text(c.text));
        return ChangeRow.of(SCHEMA, t.build());
    }

    private static ChangeRow binaryRow() {
        Tuples t = Tuples.of();
        EVERY_TYPE.forEach(c -> t.binary(c.binary));
        return ChangeRow.of(SCHEMA, t.build());
    }

    private static ChangeRow nullRow() {
        Tuples t = Tuples.of();
        EVERY_TYPE.forEach(c -> t.nul());
        return ChangeRow.of(SCHEMA, t.build());
    }

    @Test
    void everyGetterReadsTheTextForm() {
        assertEveryValue(textRow());
    }

    @Test
    void everyGetterReadsTheBinaryForm() {
        assertEveryValue(binaryRow());
    }

    private static void assertEveryValue(ChangeRow row) {
        assertThat(row.getBoolean("b")).isTrue();
        assertThat(row.getShort("i2")).isEqualTo((short) -7);
        assertThat(row.getInt("i2")).isEqualTo(-7);
        assertThat(row.getLong("i2")).isEqualTo(-7L);
        assertThat(row.getDecimal("i2")).isEqualTo(BigDecimal.valueOf(-7));
        assertThat(row.getInt("i4")).isEqualTo(Integer.MAX_VALUE);
        assertThat(row.getLong("i4")).isEqualTo(Integer.MAX_VALUE);
        assertThat(row.getLong("i8")).isEqualTo(Long.MIN_VALUE);
        assertThat(row.getLong("o")).isEqualTo(4_294_967_295L);
        assertThat(row.getFloat("f4")).isEqualTo(1.5f);
        assertThat(row.getDouble("f4")).isEqualTo(1.5);
        assertThat(row.getDouble("f8")).isEqualTo(-0.1);
        // Scale as PostgreSQL printed it, so equals (not only compareTo) holds.
        assertThat(row.getDecimal("n")).isEqualTo(new BigDecimal("12345678901234567890.0100"));
        assertThat(row.getBytes("by")).containsExactly(0, -1, 16);
        assertThat(row.getLocalDateTime("ts")).isEqualTo(A_TIMESTAMP);
        assertThat(row.getInstant("tstz")).isEqualTo(AN_INSTANT);
        assertThat(row.getLocalDate("d")).isEqualTo(LocalDate.of(1999, 12, 31));
        assertThat(row.getLocalTime("t")).isEqualTo(LocalTime.of(23, 59, 59, 999_999_000));
        assertThat(row.getOffsetTime("tz"))
                .isEqualTo(OffsetTime.of(12, 0, 0, 0, ZoneOffset.ofHoursMinutes(5, 30)));
        assertThat(row.getUuid("u")).isEqualTo(AN_UUID);
        assertThat(row.getJson("j")).isEqualTo("{\"a\": [1, 2]}");
        assertThat(row.getJson("jb")).isEqualTo("{\"a\": [1, 2]}");
        assertThat(row.getString("jb")).isEqualTo("{\"a\": [1, 2]}");
        assertThat(row.getString("s")).isEqualTo("Zoë 😀");
        assertThat(row.getList("tags", String.class)).containsExactly("a", "b c", null);
        assertThat(row.getList("ids", Long.class)).containsExactly(1L, -2L);
        assertThat(row.getList("ids", String.class)).containsExactly("1", "-2");
        assertThat(row.getList("days", LocalDate.class)).isEmpty();
        for (Column c : EVERY_TYPE) {
            assertThat(row.isNull(c.name)).as(c.name).isFalse();
            assertThat(row.isUnchangedToast(c.name)).as(c.name).isFalse();
        }
    }

    @Test
    void getStringGivesTheTextFormOfEveryType() {
        ChangeRow text = textRow();
        for (Column c : EVERY_TYPE) {
            assertThat(text.getString(c.name)).as(c.name).isEqualTo(c.text);
        }
        // Binary values rendered as PostgreSQL prints them; timestamptz in UTC.
        ChangeRow binary = binaryRow();
        for (Column c : EVERY_TYPE) {
            String expected = c.name.equals("tstz") ? "2024-02-29 11:34:56.5+00" : c.text;
            assertThat(binary.getString(c.name)).as(c.name).isEqualTo(expected);
        }
    }

    @Test
    void aBinaryIntervalReadsAsIso8601Text() {
        RelationSchema schema =
                schema(ReplicaIdentity.DEFAULT, List.of(new Column("iv", 1186, null, null)));
        long micros = ((4 * 60 + 5) * 60 + 6) * 1_000_000L + 500_000;
        ChangeRow row =
                ChangeRow.of(
                        schema,
                        Tuples.of().binary(Bin.of().i64(micros).i32(3).i32(14).build()).build());

        assertThat(row.getString("iv")).isEqualTo("P1Y2M3DT4H5M6.5S");
        assertFails(() -> row.getLong("iv"), Reason.TYPE_MISMATCH).hasMessageContaining("interval");
    }

    @Test
    void sqlNullIsNullForEveryGetterAndNotAnUnchangedToast() {
        ChangeRow row = nullRow();
        for (Column c : EVERY_TYPE) {
            assertThat(row.isNull(c.name)).as(c.name).isTrue();
            assertThat(row.isUnchangedToast(c.name)).as(c.name).isFalse();
            assertThat(row.getString(c.name)).as(c.name).isNull();
        }
        assertThat(row.getBoolean("b")).isNull();
        assertThat(row.getShort("i2")).isNull();
        assertThat(row.getInt("i4")).isNull();
        assertThat(row.getLong("i8")).isNull();
        assertThat(row.getFloat("f4")).isNull();
        assertThat(row.getDouble("f8")).isNull();
        assertThat(row.getDecimal("n")).isNull();
        assertThat(row.getBytes("by")).isNull();
        assertThat(row.getLocalDateTime("ts")).isNull();
        assertThat(row.getInstant("tstz")).isNull();
        assertThat(row.getLocalDate("d")).isNull();
        assertThat(row.getLocalTime("t")).isNull();
        assertThat(row.getOffsetTime("tz")).isNull();
        assertThat(row.getUuid("u")).isNull();
        assertThat(row.getJson("jb")).isNull();
        assertThat(row.getList("ids", Long.class)).isNull();
    }

    private static final RelationSchema DOCS =
            schema(
                    ReplicaIdentity.DEFAULT,
                    List.of(
                            new Column("i4", 23, null, null),
                            new Column("doc", 25, null, null),
                            new Column("note", 25, null, null)));

    @Test
    void anUnchangedToastIsNeitherNullNorReadable() {
        ChangeRow row = ChangeRow.of(DOCS, Tuples.of().text("1").toast().nul().build());

        assertThat(row.isUnchangedToast("doc")).isTrue();
        assertThat(row.isNull("doc")).isFalse();
        assertThat(row.isNull("note")).isTrue();
        assertFails(() -> row.getString("doc"), Reason.UNCHANGED_TOAST)
                .hasMessageContaining("\"doc\"")
                .hasMessageContaining("shop.every_type")
                .hasMessageContaining("REPLICA IDENTITY FULL");
    }

    @Test
    void theAfterRowTakesAnUnchangedToastFromAFullBeforeRow() {
        TupleData before = Tuples.of().text("1").text("the long document").text("x").build();
        TupleData after = Tuples.of().text("1").toast().text("y").build();

        ChangeEvent full = update(DOCS, OldTupleKind.FULL, before, after);
        assertThat(full.afterRow().isUnchangedToast("doc")).isFalse();
        assertThat(full.afterRow().getString("doc")).isEqualTo("the long document");
        assertThat(full.afterRow().getString("note")).isEqualTo("y");
        assertThat(full.beforeRow().getString("note")).isEqualTo("x");

        ChangeEvent noBefore = update(DOCS, OldTupleKind.NONE, null, after);
        assertThat(noBefore.beforeRow()).isNull();
        assertThat(noBefore.afterRow().isUnchangedToast("doc")).isTrue();
        assertFails(() -> noBefore.afterRow().getString("doc"), Reason.UNCHANGED_TOAST);
    }

    @Test
    void aKeyOnlyBeforeRowHoldsOnlyTheKeyColumns() {
        TupleData key = Tuples.of().binary(Bin.int4(42)).nul().nul().build();
        ChangeEvent delete =
                ChangeEvent.delete(
                        new ChangePosition(100, 0, 1),
                        new TransactionInfo(7, 100, 0, 0, null, null),
                        DOCS,
                        OldTupleKind.KEY,
                        key);

        ChangeRow row = delete.beforeRow();
        assertThat(delete.afterRow()).isNull();
        assertThat(row.isKeyOnly()).isTrue();
        assertThat(row.columnNames()).containsExactly("i4");
        assertThat(row.has("i4")).isTrue();
        assertThat(row.has("doc")).isFalse();
        assertThat(row.getInt("i4")).isEqualTo(42);
        assertFails(() -> row.getString("doc"), Reason.UNKNOWN_COLUMN)
                .hasMessageContaining("holds only its replica identity columns [i4]")
                .hasMessageContaining("REPLICA IDENTITY FULL");
        assertFails(() -> row.isNull("doc"), Reason.UNKNOWN_COLUMN);
    }

    @Test
    void anUnknownColumnNamesTheTableAndItsColumns() {
        ChangeRow row = ChangeRow.of(DOCS, Tuples.of().text("1").nul().nul().build());

        assertThat(row.has("Doc")).isFalse();
        assertThat(row.columnNames()).containsExactly("i4", "doc", "note");
        assertFails(() -> row.getString("Doc"), Reason.UNKNOWN_COLUMN)
                .hasMessage(
                        "Table shop.every_type has no column \"Doc\"; its columns are [i4, doc,"
                                + " note]");
        ColumnValueException e = null;
        try {
            row.getString("Doc");
        } catch (ColumnValueException thrown) {
            e = thrown;
        }
        assertThat(e.table()).isEqualTo("shop.every_type");
        assertThat(e.column()).isEqualTo("Doc");
        assertFails(() -> row.isUnchangedToast("nope"), Reason.UNKNOWN_COLUMN);
    }

    @Test
    void aTypeMismatchNamesColumnPostgresTypeAndJavaType() {
        for (ChangeRow row : List.of(textRow(), binaryRow(), nullRow())) {
            assertFails(() -> row.getLong("s"), Reason.TYPE_MISMATCH)
                    .hasMessage(
                            "Column \"s\" of shop.every_type has PostgreSQL type text, which"
                                    + " getLong cannot read as Long (it reads int2, int4, int8,"
                                    + " oid, xid, cid); getString reads every type as its text"
                                    + " form");
            assertFails(() -> row.getInt("i8"), Reason.TYPE_MISMATCH)
                    .hasMessageContaining("int8")
                    .hasMessageContaining("Integer");
            assertFails(() -> row.getFloat("f8"), Reason.TYPE_MISMATCH);
            assertFails(() -> row.getInstant("ts"), Reason.TYPE_MISMATCH)
                    .hasMessageContaining("timestamp")
                    .hasMessageContaining("Instant");
            assertFails(() -> row.getLocalDateTime("tstz"), Reason.TYPE_MISMATCH);
            assertFails(() -> row.getJson("s"), Reason.TYPE_MISMATCH);
            assertFails(() -> row.getDecimal("f8"), Reason.TYPE_MISMATCH);
            assertFails(() -> row.getBoolean("i2"), Reason.TYPE_MISMATCH);
            assertFails(() -> row.getUuid("s"), Reason.TYPE_MISMATCH);
            assertFails(() -> row.getBytes("s"), Reason.TYPE_MISMATCH);
            assertFails(() -> row.getLocalTime("tz"), Reason.TYPE_MISMATCH);
            assertFails(() -> row.getOffsetTime("t"), Reason.TYPE_MISMATCH);
            assertFails(() -> row.getLocalDate("ts"), Reason.TYPE_MISMATCH);
            assertFails(() -> row.getShort("i4"), Reason.TYPE_MISMATCH);
            assertFails(() -> row.getList("tags", Long.class), Reason.TYPE_MISMATCH)
                    .hasMessageContaining("text[]")
                    .hasMessageContaining("List<Long>");
            assertFails(() -> row.getList("s", String.class), Reason.TYPE_MISMATCH);
            assertFails(() -> row.getLong("tags"), Reason.TYPE_MISMATCH);
        }
        assertThatThrownBy(() -> textRow().getList("tags", StringBuilder.class))
                .isInstanceOf(IllegalArgumentException.class)
                .isNotInstanceOf(ColumnValueException.class)
                .hasMessageContaining("java.lang.StringBuilder");
    }

    private static final RelationSchema SPECIALS =
            schema(
                    ReplicaIdentity.DEFAULT,
                    List.of(
                            new Column("n", 1700, null, null),
                            new Column("ts", 1114, null, null),
                            new Column("tstz", 1184, null, null),
                            new Column("d", 1082, null, null),
                            new Column("t", 1083, null, null),
                            new Column("grid", 1007, null, null)));

    @Test
    void valuesWithoutAJavaValueFailButReadAsText() {
        ChangeRow text =
                ChangeRow.of(
                        SPECIALS,
                        Tuples.of()
                                .text("NaN")
                                .text("infinity")
                                .text("-infinity")
                                .text("infinity")
                                .text("24:00:00")
                                .text("{{1,2},{3,4}}")
                                .build());
        ChangeRow binary =
                ChangeRow.of(
                        SPECIALS,
                        Tuples.of()
                                .binary(Bin.numericSpecial(0xC000))
                                .binary(Bin.int8(Long.MAX_VALUE))
                                .binary(Bin.int8(Long.MIN_VALUE))
                                .binary(Bin.int4(Integer.MAX_VALUE))
                                .binary(Bin.int8(86_400_000_000L))
                                .binary(
                                        Bin.array(
                                                23,
                                                new int[] {2, 2},
                                                new int[] {1, 1},
                                                Bin.int4(1),
                                                Bin.int4(2),
                                                Bin.int4(3),
                                                Bin.int4(4)))
                                .build());
        for (ChangeRow row : List.of(text, binary)) {
            assertFails(() -> row.getDecimal("n"), Reason.NOT_REPRESENTABLE)
                    .hasMessageContaining("\"n\"")
                    .hasMessageContaining("numeric NaN has no BigDecimal value")
                    .hasMessageContaining("getString");
            assertThat(row.getString("n")).isEqualTo("NaN");
            assertFails(() -> row.getLocalDateTime("ts"), Reason.NOT_REPRESENTABLE)
                    .hasMessageContaining("timestamp infinity");
            assertThat(row.getString("ts")).isEqualTo("infinity");
            assertFails(() -> row.getInstant("tstz"), Reason.NOT_REPRESENTABLE)
                    .hasMessageContaining("timestamptz -infinity");
            assertFails(() -> row.getLocalDate("d"), Reason.NOT_REPRESENTABLE)
                    .hasMessageContaining("date infinity");
            assertFails(() -> row.getLocalTime("t"), Reason.NOT_REPRESENTABLE)
                    .hasMessageContaining("24:00:00");
            assertFails(() -> row.getList("grid", Integer.class), Reason.NOT_REPRESENTABLE)
                    .hasMessageContaining("2 dimensions");
            assertThat(row.getString("grid")).isEqualTo("{{1,2},{3,4}}");
        }
    }

    @Test
    void malformedBytesFailWithTheCause() {
        RelationSchema schema =
                schema(
                        ReplicaIdentity.DEFAULT,
                        List.of(
                                new Column("i4", 23, null, null),
                                new Column("d", 1082, null, null),
                                new Column("ids", 1016, null, null)));
        ChangeRow text =
                ChangeRow.of(
                        schema, Tuples.of().text("12x").text("29.02.2024").text("{1,").build());
        assertFails(() -> text.getInt("i4"), Reason.MALFORMED)
                .hasMessageContaining("malformed text int4 value: malformed integer")
                .hasCauseInstanceOf(IllegalArgumentException.class);
        assertFails(() -> text.getLocalDate("d"), Reason.MALFORMED)
                .hasMessageContaining("DateStyle");
        assertFails(() -> text.getList("ids", Long.class), Reason.MALFORMED);

        ChangeRow binary =
                ChangeRow.of(
                        schema,
                        Tuples.of()
                                .binary(new byte[] {0, 0, 1})
                                .binary(Bin.int8(1))
                                .binary(Bin.int4(1))
                                .build());
        assertFails(() -> binary.getInt("i4"), Reason.MALFORMED)
                .hasMessageContaining("malformed binary int4 value")
                .hasMessageContaining("must be 4 bytes, got 3");
        assertFails(() -> binary.getLocalDate("d"), Reason.MALFORMED);
        assertFails(() -> binary.getList("ids", Long.class), Reason.MALFORMED);
    }

    @Test
    void aDomainReadsLikeItsBaseType() {
        Relation relation =
                new Relation(
                        0,
                        16_401,
                        "shop",
                        "orders",
                        ReplicaIdentity.DEFAULT,
                        List.of(new RelationColumn(1, "qty", 16_500, -1)));
        RelationSchema schema =
                new RelationSchema(
                        relation, List.of(new TypeMessage(0, 16_500, "pg_catalog", "int8")));
        ChangeRow row = ChangeRow.of(schema, Tuples.of().binary(Bin.int8(5)).build());

        assertThat(row.getLong("qty")).isEqualTo(5L);
        assertFails(() -> row.getInt("qty"), Reason.TYPE_MISMATCH)
                .hasMessageContaining("a domain over int8");
    }

    @Test
    void aTupleOfAnotherWidthIsRejected() {
        assertThatThrownBy(() -> ChangeRow.of(DOCS, Tuples.of().text("1").build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1 columns for shop.every_type with 3 columns");
    }

    @Test
    void listsAreTheCallersOwnArrayLists() {
        ChangeRow row = textRow();
        List<String> tags = row.getList("tags", String.class);
        assertThat(tags).isInstanceOf(ArrayList.class).isEqualTo(Arrays.asList("a", "b c", null));
        tags.add("d"); // a copy: the row's value does not change
        assertThat(row.getList("tags", String.class)).isEqualTo(Arrays.asList("a", "b c", null));
    }

    private static ChangeEvent update(
            RelationSchema schema, OldTupleKind kind, TupleData before, TupleData after) {
        return ChangeEvent.update(
                new ChangePosition(100, 0, 1),
                new TransactionInfo(7, 100, 0, 0, null, null),
                schema,
                kind,
                before,
                after);
    }

    private static org.assertj.core.api.AbstractThrowableAssert<?, ? extends Throwable> assertFails(
            ThrowingCallable call, Reason reason) {
        return assertThatThrownBy(call)
                .isInstanceOf(ColumnValueException.class)
                .satisfies(e -> assertThat(((ColumnValueException) e).reason()).isEqualTo(reason));
    }
}
