package io.pgwalstream.flink.rowdata;

import io.pgwalstream.flink.rowdata.PgConversionOptions.OversizedNumeric;
import io.pgwalstream.protocol.Relation;
import io.pgwalstream.protocol.TypeMessage;
import io.pgwalstream.testing.values.Tuples;
import io.pgwalstream.types.PgBuiltinType;
import io.pgwalstream.types.PgType;
import io.pgwalstream.types.PgTypeRegistry;
import io.pgwalstream.types.PgUserType;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.api.ValidationException;

import org.junit.jupiter.api.Test;

import static io.pgwalstream.flink.rowdata.ScalarConvertersTest.typmod;
import static io.pgwalstream.testing.values.Tuples.column;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Type mapping details the doc table does not show, the registry, and option parsing. */
class PgTypeMappingTest {

    private final PgTypeMapping mapping = PgTypeMapping.defaults();

    @Test
    void numericTypmods() {
        PgType numeric = PgType.of(PgBuiltinType.NUMERIC);
        assertThat(mapping.map(numeric, typmod(1, 0))).isEqualTo(DataTypes.DECIMAL(1, 0));
        assertThat(mapping.map(numeric, typmod(38, 38))).isEqualTo(DataTypes.DECIMAL(38, 38));
        assertThat(mapping.map(numeric, typmod(36, -2))).isEqualTo(DataTypes.DECIMAL(38, 0));
        assertThat(mapping.map(numeric, typmod(37, -2))).isEqualTo(DataTypes.STRING());
        assertThat(mapping.map(numeric, typmod(1000, 0))).isEqualTo(DataTypes.STRING());
        assertThat(PgTypeMapping.numericScale(typmod(5, -1000))).isEqualTo(-1000);
        assertThat(PgTypeMapping.numericScale(typmod(5, 1000))).isEqualTo(1000);
    }

    @Test
    void oversizedNumericOptions() {
        PgType numeric = PgType.of(PgBuiltinType.NUMERIC);
        PgTypeMapping decimal =
                new PgTypeMapping(
                        ConversionPolicies.defaults()
                                .withOversizedNumeric(OversizedNumeric.DECIMAL_38_18));
        assertThat(decimal.map(numeric, -1)).isEqualTo(DataTypes.DECIMAL(38, 18));
        assertThat(decimal.map(numeric, typmod(40, 2))).isEqualTo(DataTypes.DECIMAL(38, 18));
        PgTypeMapping failing =
                new PgTypeMapping(
                        ConversionPolicies.defaults().withOversizedNumeric(OversizedNumeric.FAIL));
        assertThatThrownBy(() -> failing.map(numeric, -1))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("types.numeric.oversized");
        Relation r = Tuples.relation(column("amount", 1700, -1));
        assertThatThrownBy(() -> failing.rowType(r, new PgTypeRegistry()))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("\"amount\"");
    }

    @Test
    void timePrecisions() {
        assertThat(mapping.map(PgType.of(PgBuiltinType.TIME), -1)).isEqualTo(DataTypes.TIME(6));
        assertThat(mapping.map(PgType.of(PgBuiltinType.TIME), 0)).isEqualTo(DataTypes.TIME(0));
        assertThat(mapping.map(PgType.of(PgBuiltinType.TIMESTAMPTZ), 3))
                .isEqualTo(DataTypes.TIMESTAMP_LTZ(3));
        assertThat(mapping.map(PgType.of(PgBuiltinType.TIMESTAMP), 6))
                .isEqualTo(DataTypes.TIMESTAMP(6));
    }

    @Test
    void rowTypeOfARelation() {
        Relation r =
                Tuples.relation(
                        column("id", 20, -1),
                        column("name", 1043, 24),
                        column("at", 1184, -1),
                        column("scores", 1007, -1));
        assertThat(mapping.rowType(r, new PgTypeRegistry()))
                .isEqualTo(
                        DataTypes.ROW(
                                DataTypes.FIELD("id", DataTypes.BIGINT()),
                                DataTypes.FIELD("name", DataTypes.STRING()),
                                DataTypes.FIELD("at", DataTypes.TIMESTAMP_LTZ(6)),
                                DataTypes.FIELD("scores", DataTypes.ARRAY(DataTypes.INT()))));
    }

    @Test
    void displayNames() {
        assertThat(PgTypeMapping.displayName(PgType.of(PgBuiltinType.NUMERIC), typmod(10, 2)))
                .isEqualTo("numeric(10,2)");
        assertThat(PgTypeMapping.displayName(PgType.of(PgBuiltinType.VARCHAR), 24))
                .isEqualTo("varchar(20)");
        assertThat(PgTypeMapping.displayName(PgType.of(PgBuiltinType.TIMESTAMPTZ), 3))
                .isEqualTo("timestamptz(3)");
        assertThat(
                        PgTypeMapping.displayName(
                                PgType.arrayOf(1231, PgType.of(PgBuiltinType.NUMERIC)),
                                typmod(5, 1)))
                .isEqualTo("numeric(5,1)[]");
        PgTypeRegistry registry = new PgTypeRegistry();
        registry.register(
                new PgUserType(40_000, "public", "price", 'd', 'N', 1700, typmod(10, 2), 0, 0, 0));
        PgType price = registry.resolve(40_000);
        assertThat(PgTypeMapping.displayName(price, -1))
                .isEqualTo("public.price (domain over numeric(10,2))");
        assertThat(mapping.map(price, -1)).isEqualTo(DataTypes.DECIMAL(10, 2));
    }

    @Test
    void registryResolvesDomainsArraysAndUnknowns() {
        PgTypeRegistry registry = new PgTypeRegistry();
        registry.register(new TypeMessage(-1, 40_001, "", "int4"));
        registry.register(new TypeMessage(-1, 40_002, "", "_text"));
        registry.register(new TypeMessage(-1, 40_003, "app", "mood"));
        registry.register(new TypeMessage(-1, 40_004, "app", "_mood"));
        registry.register(new TypeMessage(-1, 40_005, "app", "_stuff"));

        PgType domain = registry.resolve(40_001);
        assertThat(domain.is(PgBuiltinType.INT4)).isTrue();
        assertThat(domain.oid()).isEqualTo(40_001);
        assertThat(mapping.map(domain, -1)).isEqualTo(DataTypes.INT());
        assertThat(mapping.map(registry.resolve(40_002), -1))
                .isEqualTo(DataTypes.ARRAY(DataTypes.STRING()));
        PgType mood = registry.resolve(40_003);
        assertThat(mood.kind()).isEqualTo(PgType.Kind.OTHER);
        assertThat(mood.name()).isEqualTo("app.mood");
        PgType moods = registry.resolve(40_004);
        assertThat(moods.kind()).isEqualTo(PgType.Kind.ARRAY);
        assertThat(moods.element().oid()).isEqualTo(40_003);
        assertThat(registry.resolve(40_005).element().name()).isEqualTo("app.stuff");
        assertThat(registry.resolve(99_999).name()).isEqualTo("type OID 99999");
        assertThat(registry.resolve(705).name()).isEqualTo("built-in type OID 705");
        assertThat(mapping.map(registry.resolve(705), -1)).isEqualTo(DataTypes.STRING());
        // Catalog facts win over the message.
        registry.register(new PgUserType(40_003, "app", "mood", 'e', 'E', 0, -1, 0, 0, 0));
        assertThat(registry.resolve(40_003).kind()).isEqualTo(PgType.Kind.ENUM);
        assertThat(registry.resolve(40_004).element().kind()).isEqualTo(PgType.Kind.ENUM);
        // A cycle in bad catalog data ends.
        registry.register(new PgUserType(40_010, "app", "a", 'd', 'N', 40_011, -1, 0, 0, 0));
        registry.register(new PgUserType(40_011, "app", "b", 'd', 'N', 40_010, -1, 0, 0, 0));
        assertThat(registry.resolve(40_010).kind()).isEqualTo(PgType.Kind.OTHER);
    }

    @Test
    void builtinTableIsConsistent() {
        for (PgBuiltinType t : PgBuiltinType.values()) {
            assertThat(PgBuiltinType.ofOid(t.oid())).isEqualTo(t);
            assertThat(PgBuiltinType.ofArrayOid(t.arrayOid())).isEqualTo(t);
            assertThat(PgBuiltinType.ofName(t.typeName())).isEqualTo(t);
            assertThat(PgBuiltinType.ofOid(t.arrayOid())).isNull();
        }
        assertThat(PgType.of(PgBuiltinType.TSTZMULTIRANGE).element().element().builtin())
                .isEqualTo(PgBuiltinType.TIMESTAMPTZ);
    }

    @Test
    void policiesFromTableOptions() {
        Configuration conf = new Configuration();
        conf.setString("types.numeric.special-values", "NULL_WITH_WARNING");
        conf.setString("types.temporal.special-values", "CLAMP");
        conf.setString("types.array.multi-dimensional", "FAIL");
        conf.setString("types.numeric.oversized", "DECIMAL_38_18");
        conf.setString("types.numeric.overflow", "NULL_WITH_WARNING");
        conf.setString("types.unchanged-toast", "NULL_WITH_WARNING");
        conf.setString("types.unchanged-toast.placeholder", "<toast>");
        conf.setString("types.string.share-message-buffer", "false");
        assertThat(ConversionPolicies.fromConfig(conf))
                .isEqualTo(
                        new ConversionPolicies(
                                PgConversionOptions.NumericSpecialValues.NULL_WITH_WARNING,
                                PgConversionOptions.TemporalSpecialValues.CLAMP,
                                PgConversionOptions.MultiDimensionalArrays.FAIL,
                                OversizedNumeric.DECIMAL_38_18,
                                PgConversionOptions.NumericOverflow.NULL_WITH_WARNING,
                                PgConversionOptions.UnchangedToast.NULL_WITH_WARNING,
                                "<toast>",
                                false));
        assertThat(ConversionPolicies.fromConfig(new Configuration()))
                .isEqualTo(ConversionPolicies.defaults());
    }

    @Test
    void valuePreviewsAreShortAndSafe() {
        byte[] emoji =
                "😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀"
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String preview = ValuePreview.of(emoji, 0, emoji.length, false);
        assertThat(preview).startsWith("'😀").contains("(80 bytes)").doesNotContain("\uFFFD");
        assertThat(ValuePreview.of(new byte[] {'a', '\n', 'b'}, 0, 3, false)).isEqualTo("'a?b'");
        assertThat(ValuePreview.of(new byte[] {(byte) 0xAB, 1}, 0, 2, true)).isEqualTo("\\xab01");
        assertThat(ValuePreview.of(new byte[100], 0, 100, true))
                .endsWith("… (100 bytes)")
                .hasSize(2 + 64 + 13);
    }
}
