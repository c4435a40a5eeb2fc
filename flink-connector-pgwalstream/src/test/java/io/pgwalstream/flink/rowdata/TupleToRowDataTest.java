package io.pgwalstream.flink.rowdata;

import io.pgwalstream.flink.rowdata.PgConversionOptions.UnchangedToast;
import io.pgwalstream.protocol.Relation;
import io.pgwalstream.protocol.TupleData;
import io.pgwalstream.testing.values.Bin;
import io.pgwalstream.testing.values.Tuples;
import io.pgwalstream.types.PgTypeRegistry;

import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.types.RowKind;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.pgwalstream.testing.values.Tuples.column;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Whole tuples: projection, NULLs, mixed forms, unchanged TOAST and its fallback, errors. */
class TupleToRowDataTest {

    private static final Relation RELATION =
            Tuples.relation(
                    column("id", 23, -1),
                    column("name", 25, -1),
                    column("doc", 25, -1),
                    column("price", 1700, ScalarConvertersTest.typmod(10, 2)),
                    column("tags", 1009, -1));

    private final PgTypeRegistry registry = new PgTypeRegistry();
    private final ConversionWarnings warnings = new ConversionWarnings();

    private TupleToRowData converter(int[] projection, ConversionPolicies policies) {
        PgTypeMapping mapping = new PgTypeMapping(policies);
        LogicalType[] types = new LogicalType[projection.length];
        for (int i = 0; i < projection.length; i++) {
            types[i] =
                    mapping.map(RELATION.columns().get(projection[i]), registry).getLogicalType();
        }
        return TupleToRowData.create(
                RELATION, projection, List.of(types), registry, policies, warnings);
    }

    private TupleToRowData all() {
        return TupleToRowData.allColumns(
                RELATION, registry, ConversionPolicies.defaults(), warnings);
    }

    @Test
    void allColumnsInTextAndBinary() {
        TupleData text =
                Tuples.of().text("7").text("Zoë 😀").nul().text("12.50").text("{a,NULL}").build();
        GenericRowData row = all().convert(text);
        assertThat(row.getRowKind()).isEqualTo(RowKind.INSERT);
        assertThat(row.getInt(0)).isEqualTo(7);
        assertThat(row.getString(1).toString()).isEqualTo("Zoë 😀");
        assertThat(row.isNullAt(2)).isTrue();
        assertThat(row.getDecimal(3, 10, 2).toBigDecimal()).isEqualByComparingTo("12.50");
        assertThat(ArrayConverterTest.elements(row.getArray(4))).containsExactly("a", null);

        TupleData binary =
                Tuples.of()
                        .binary(Bin.int4(7))
                        .binary(Bin.text("Zoë 😀"))
                        .nul()
                        .binary(Bin.numeric(new java.math.BigDecimal("12.50")))
                        .binary(Bin.array(25, Bin.text("a"), null))
                        .build();
        GenericRowData fromBinary = all().convert(binary, null, RowKind.UPDATE_AFTER);
        assertThat(fromBinary.getRowKind()).isEqualTo(RowKind.UPDATE_AFTER);
        assertThat(fromBinary.getInt(0)).isEqualTo(7);
        assertThat(fromBinary.getString(1)).isEqualTo(row.getString(1));
        assertThat(fromBinary.getDecimal(3, 10, 2)).isEqualTo(row.getDecimal(3, 10, 2));
        assertThat(ArrayConverterTest.elements(fromBinary.getArray(4))).containsExactly("a", null);
    }

    @Test
    void projectionReordersRepeatsAndSkipsColumns() {
        TupleToRowData c = converter(new int[] {3, 0, 0}, ConversionPolicies.defaults());
        // Column 4 is malformed but not projected: it is never looked at.
        TupleData tuple = Tuples.of().text("1").text("x").toast().text("0.5").text("{{").build();
        GenericRowData row = c.convert(tuple);
        assertThat(row.getArity()).isEqualTo(3);
        assertThat(row.getDecimal(0, 10, 2).toBigDecimal()).isEqualByComparingTo("0.50");
        assertThat(row.getInt(1)).isEqualTo(1);
        assertThat(row.getInt(2)).isEqualTo(1);
        assertThat(c.projection()).containsExactly(3, 0, 0);
        assertThat(
                        TupleToRowData.create(
                                        RELATION,
                                        new int[0],
                                        List.of(),
                                        registry,
                                        ConversionPolicies.defaults(),
                                        warnings)
                                .convert(tuple)
                                .getArity())
                .isZero();
    }

    @Test
    void unchangedToastFailsByDefaultNamingColumnAndOption() {
        TupleData tuple = Tuples.of().text("1").text("x").toast().text("1").nul().build();
        assertThatThrownBy(() -> all().convert(tuple))
                .isInstanceOf(PgValueConversionException.class)
                .hasMessageContaining("\"doc\"")
                .hasMessageContaining("types.unchanged-toast")
                .extracting(e -> ((PgValueConversionException) e).optionKey())
                .isEqualTo("types.unchanged-toast");
    }

    @Test
    void unchangedToastAsCountedNull() {
        TupleToRowData c =
                converter(
                        new int[] {0, 2},
                        ConversionPolicies.defaults()
                                .withUnchangedToast(UnchangedToast.NULL_WITH_WARNING));
        GenericRowData row =
                c.convert(Tuples.of().text("1").text("x").toast().text("1").nul().build());
        assertThat(row.isNullAt(1)).isTrue();
        assertThat(warnings.count(ConversionWarnings.Kind.UNCHANGED_TOAST_NULLED)).isEqualTo(1);
    }

    @Test
    void unchangedToastAsPlaceholderInStringColumnsOnly() {
        ConversionPolicies placeholder =
                ConversionPolicies.defaults()
                        .withUnchangedToast(UnchangedToast.PLACEHOLDER)
                        .withUnchangedToastPlaceholder("<unchanged>");
        GenericRowData row =
                converter(new int[] {0, 2}, placeholder)
                        .convert(Tuples.of().text("1").text("x").toast().text("1").nul().build());
        assertThat(row.getString(1).toString()).isEqualTo("<unchanged>");
        assertThat(warnings.count(ConversionWarnings.Kind.UNCHANGED_TOAST_PLACEHOLDER))
                .isEqualTo(1);

        // An array column cannot carry a text placeholder: the policy says so instead of NULL.
        TupleData toastedArray = Tuples.of().text("1").text("x").nul().text("1").toast().build();
        assertThatThrownBy(() -> converter(new int[] {4}, placeholder).convert(toastedArray))
                .isInstanceOf(PgValueConversionException.class)
                .hasMessageContaining("\"tags\"")
                .hasMessageContaining("STRING or BYTES");
    }

    @Test
    void underFillAnUnchangedValueIsNullAndFlaggedAndLongValuesAreMarkedForKeeping() {
        TupleToRowData c =
                converter(
                        new int[] {0, 1, 2, 3, 4},
                        ConversionPolicies.defaults().withUnchangedToast(UnchangedToast.FILL));
        String twentyOne = "x".repeat(21);
        GenericRowData row =
                c.convert(
                        Tuples.of()
                                .text("1")
                                .text("x".repeat(20))
                                .toast()
                                .text("12.50")
                                .text("{a}")
                                .build(),
                        null,
                        RowKind.UPDATE_AFTER);
        assertThat(row.isNullAt(2)).isTrue();
        // int never, 20 bytes of text never, unchanged, short numeric never, arrays always.
        assertThat(c.toastFlags()).containsExactly(0, 0, 2, 0, 1);
        assertThat(warnings.count(ConversionWarnings.Kind.UNCHANGED_TOAST_NULLED)).isZero();

        c.convert(Tuples.of().text("2").text(twentyOne).text(twentyOne).nul().nul().build());
        assertThat(c.toastFlags()).containsExactly(0, 1, 1, 0, 0);

        // A value the fallback (a full old row) holds is filled there, and kept.
        TupleData fallback =
                Tuples.of().text("2").text("a").text(twentyOne).text("1").nul().build();
        GenericRowData filled =
                c.convert(
                        Tuples.of().text("2").text("b").toast().text("1").nul().build(),
                        fallback,
                        RowKind.UPDATE_AFTER);
        assertThat(filled.getString(2).toString()).isEqualTo(twentyOne);
        assertThat(c.toastFlags()).containsExactly(0, 0, 1, 0, 0);

        assertThat(converter(new int[] {0}, ConversionPolicies.defaults()).toastFlags()).isNull();
    }

    @Test
    void unchangedToastTakenFromTheFallbackTuple() {
        TupleData newTuple =
                Tuples.of().binary(Bin.int4(1)).text("y").toast().text("2").toast().build();
        TupleData fullOld =
                Tuples.of()
                        .text("1")
                        .text("x")
                        .binary(Bin.text("big document"))
                        .text("1")
                        .text("{p,q}")
                        .build();
        GenericRowData row = all().convert(newTuple, fullOld, RowKind.UPDATE_AFTER);
        assertThat(row.getString(1).toString()).isEqualTo("y");
        assertThat(row.getString(2).toString()).isEqualTo("big document");
        assertThat(ArrayConverterTest.elements(row.getArray(4))).containsExactly("p", "q");
        assertThat(warnings.count(ConversionWarnings.Kind.UNCHANGED_TOAST_FROM_FALLBACK))
                .isEqualTo(2);

        // A key-only old tuple has NULL for non-key columns: not a value.
        TupleData keyOnly = Tuples.of().text("1").nul().nul().nul().nul().build();
        assertThatThrownBy(() -> all().convert(newTuple, keyOnly, RowKind.UPDATE_AFTER))
                .isInstanceOf(PgValueConversionException.class)
                .hasMessageContaining("\"doc\"");
    }

    @Test
    void malformedValuesNameTheColumnAndTruncateTheValue() {
        StringBuilder huge = new StringBuilder();
        for (int i = 0; i < 10_000; i++) {
            huge.append('9');
        }
        TupleData tuple = Tuples.of().text(huge.toString()).nul().nul().nul().nul().build();
        assertThatThrownBy(() -> all().convert(tuple))
                .isInstanceOf(PgValueConversionException.class)
                .hasMessageContaining("\"id\"")
                .hasMessageContaining("int4")
                .hasMessageContaining("(10000 bytes)")
                .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(400));
        TupleData badBinary =
                Tuples.of().nul().nul().nul().binary(new byte[] {1, 2, 3}).nul().build();
        assertThatThrownBy(() -> all().convert(badBinary))
                .isInstanceOf(PgValueConversionException.class)
                .hasMessageContaining("\"price\"")
                .hasMessageContaining("numeric(10,2)")
                .hasMessageContaining("\\x010203");
    }

    @Test
    void tupleOfAnotherShapeIsRejected() {
        assertThatThrownBy(() -> all().convert(Tuples.of().text("1").build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("public.t");
    }

    @Test
    void incompatibleDeclaredTypesFailAtCreation() {
        assertThatThrownBy(
                        () ->
                                TupleToRowData.create(
                                        RELATION,
                                        new int[] {1},
                                        List.of(DataTypes.INT().getLogicalType()),
                                        registry,
                                        ConversionPolicies.defaults(),
                                        warnings))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("\"name\"")
                .hasMessageContaining("text")
                .hasMessageContaining("STRING");
        assertThatThrownBy(
                        () ->
                                TupleToRowData.create(
                                        RELATION,
                                        new int[] {9},
                                        List.of(DataTypes.INT().getLogicalType()),
                                        registry,
                                        ConversionPolicies.defaults(),
                                        warnings))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("9");
    }

    @Test
    void anyColumnCanBeDeclaredAsString() {
        RowType strings =
                (RowType)
                        DataTypes.ROW(
                                        DataTypes.FIELD("id", DataTypes.STRING()),
                                        DataTypes.FIELD("price", DataTypes.VARCHAR(20)),
                                        DataTypes.FIELD("tags", DataTypes.STRING()))
                                .getLogicalType();
        TupleToRowData c =
                TupleToRowData.create(
                        RELATION,
                        new int[] {0, 3, 4},
                        strings,
                        registry,
                        ConversionPolicies.defaults(),
                        warnings);
        GenericRowData row =
                c.convert(
                        Tuples.of()
                                .binary(Bin.int4(-5))
                                .nul()
                                .nul()
                                .binary(Bin.numeric(new java.math.BigDecimal("1.50")))
                                .binary(Bin.array(25, Bin.text("a b")))
                                .build());
        assertThat(row.getString(0)).isEqualTo(StringData.fromString("-5"));
        assertThat(row.getString(1)).isEqualTo(StringData.fromString("1.50"));
        assertThat(row.getString(2)).isEqualTo(StringData.fromString("{\"a b\"}"));
    }
}
