package io.pgwalstream.types;

import io.pgwalstream.types.OutOfLineStorage.Rule;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which values the unchanged-TOAST fill must keep: PostgreSQL's toaster rules by type and size. */
class OutOfLineStorageTest {

    private final PgTypeRegistry registry = new PgTypeRegistry();

    @Test
    void fixedSizeTypesAreNeverOutOfLine() {
        for (PgBuiltinType type :
                new PgBuiltinType[] {
                    PgBuiltinType.INT4,
                    PgBuiltinType.INT8,
                    PgBuiltinType.BOOL,
                    PgBuiltinType.FLOAT8,
                    PgBuiltinType.TIMESTAMPTZ,
                    PgBuiltinType.UUID,
                    PgBuiltinType.NAME,
                    PgBuiltinType.INTERVAL
                }) {
            assertThat(OutOfLineStorage.ruleFor(PgType.of(type)))
                    .as(type.name())
                    .isEqualTo(Rule.NEVER);
        }
        assertThat(OutOfLineStorage.mayBeExternal(Rule.NEVER, 1_000_000)).isFalse();
    }

    @Test
    void textLikeValuesOnlyPastTwentyBytes() {
        for (PgBuiltinType type :
                new PgBuiltinType[] {
                    PgBuiltinType.TEXT,
                    PgBuiltinType.VARCHAR,
                    PgBuiltinType.BYTEA,
                    PgBuiltinType.NUMERIC,
                    PgBuiltinType.JSON
                }) {
            assertThat(OutOfLineStorage.ruleFor(PgType.of(type)))
                    .as(type.name())
                    .isEqualTo(Rule.IF_LONGER);
        }
        assertThat(OutOfLineStorage.mayBeExternal(Rule.IF_LONGER, 20)).isFalse();
        assertThat(OutOfLineStorage.mayBeExternal(Rule.IF_LONGER, 21)).isTrue();
    }

    @Test
    void typesWhoseStoredFormCanOutgrowTheWireFormAlwaysCount() {
        assertThat(OutOfLineStorage.ruleFor(PgType.of(PgBuiltinType.JSONB))).isEqualTo(Rule.ALWAYS);
        assertThat(OutOfLineStorage.ruleFor(registry.resolve(1009))) // text[]
                .isEqualTo(Rule.ALWAYS);
        assertThat(OutOfLineStorage.ruleFor(PgType.of(PgBuiltinType.INT4RANGE)))
                .isEqualTo(Rule.ALWAYS);
        assertThat(OutOfLineStorage.ruleFor(registry.resolve(987_654))) // unknown user type
                .isEqualTo(Rule.ALWAYS);
        assertThat(OutOfLineStorage.mayBeExternal(Rule.ALWAYS, 1)).isTrue();
        assertThat(OutOfLineStorage.ruleFor(PgType.user(70_000, "mood", PgType.Kind.ENUM)))
                .isEqualTo(Rule.NEVER);
    }
}
