package io.pgwalstream.flink.table;

import io.pgwalstream.flink.rowdata.PgConversionOptions.UnchangedToast;
import io.pgwalstream.flink.rowdata.ResolvedChangelogMode;
import io.pgwalstream.flink.rowdata.toast.MissingValuePolicy;
import io.pgwalstream.protocol.RelationColumn;
import io.pgwalstream.protocol.ReplicaIdentity;
import io.pgwalstream.replication.TableName;
import io.pgwalstream.types.PgTypeRegistry;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.types.logical.ArrayType;
import org.apache.flink.table.types.logical.IntType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.VarCharType;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The unchanged-TOAST policy planning decides from the options and the tables. */
class ToastPlanningCheckTest {

    private static final int INT4 = 23;
    private static final int TEXT = 25;
    private static final int INT4_ARRAY = 1007;

    private static final List<String> NAMES = List.of("id", "body");

    @Test
    void unsetAnUpsertTableWithLargeColumnsIsFilledAndLooksUpWhatStateLacks() {
        assertThat(choice(Map.of(), ResolvedChangelogMode.UPSERT, List.of(docs("docs"))))
                .isEqualTo(
                        new UnchangedToastChoice(UnchangedToast.FILL, MissingValuePolicy.LOOKUP));
    }

    @Test
    void unsetATableReadWithAllRowKindsFails() {
        assertThat(choice(Map.of(), ResolvedChangelogMode.ALL, List.of(docs("docs"))))
                .isEqualTo(new UnchangedToastChoice(UnchangedToast.FAIL, MissingValuePolicy.FAIL));
    }

    @Test
    void unsetLookupsAreOffWhereTheyCannotWork() {
        assertThat(
                        choice(
                                Map.of(),
                                ResolvedChangelogMode.UPSERT,
                                List.of(docs("docs_a"), docs("docs_b"))))
                .isEqualTo(new UnchangedToastChoice(UnchangedToast.FILL, MissingValuePolicy.FAIL));
        assertThat(
                        choice(
                                Map.of(),
                                ResolvedChangelogMode.UPSERT,
                                List.of(docs("docs")),
                                new ArrayType(new IntType())))
                .isEqualTo(new UnchangedToastChoice(UnchangedToast.FILL, MissingValuePolicy.FAIL));
    }

    @Test
    void lookupsAskedForWhereTheyCannotWorkAreAPlanningErrorNamingTheFix() {
        assertThatThrownBy(
                        () ->
                                choice(
                                        Map.of("types.unchanged-toast.missing", "LOOKUP"),
                                        ResolvedChangelogMode.UPSERT,
                                        List.of(docs("docs_a"), docs("docs_b"))))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("reads 2 tables")
                .hasMessageContaining("'types.unchanged-toast.missing' = 'FAIL'");
    }

    @Test
    void whatTheUserSetIsKept() {
        assertThat(
                        choice(
                                Map.of("types.unchanged-toast", "FAIL"),
                                ResolvedChangelogMode.UPSERT,
                                List.of(docs("docs"))))
                .isEqualTo(new UnchangedToastChoice(UnchangedToast.FAIL, MissingValuePolicy.FAIL));
        assertThat(
                        choice(
                                Map.of("types.unchanged-toast.missing", "FAIL"),
                                ResolvedChangelogMode.UPSERT,
                                List.of(docs("docs"))))
                .isEqualTo(new UnchangedToastChoice(UnchangedToast.FILL, MissingValuePolicy.FAIL));
        assertThat(
                        choice(
                                Map.of("types.unchanged-toast", "PLACEHOLDER"),
                                ResolvedChangelogMode.UPSERT,
                                List.of(docs("docs"))))
                .isEqualTo(
                        new UnchangedToastChoice(
                                UnchangedToast.PLACEHOLDER, MissingValuePolicy.FAIL));
    }

    @Test
    void aTableWhoseColumnsCannotArriveUnchangedNeedsNoLookupsAndNoFill() {
        PgTableFacts narrow =
                table("narrow", ReplicaIdentity.DEFAULT, column("id", INT4), column("n", INT4));
        List<PgTableFacts> twoNarrow = List.of(narrow, narrow);
        assertThat(choice(Map.of(), ResolvedChangelogMode.UPSERT, twoNarrow))
                .isEqualTo(new UnchangedToastChoice(UnchangedToast.FILL, MissingValuePolicy.FAIL));
        assertThat(ToastPlanningCheck.anyCanArriveUnchanged(twoNarrow, NAMES, new PgTypeRegistry()))
                .isFalse();
        PgTableFacts full =
                table("full", ReplicaIdentity.FULL, column("id", INT4), column("body", TEXT));
        assertThat(
                        ToastPlanningCheck.anyCanArriveUnchanged(
                                List.of(full), NAMES, new PgTypeRegistry()))
                .as("FULL old rows carry every value")
                .isFalse();
        PgTableFacts arrays =
                table(
                        "arrays",
                        ReplicaIdentity.DEFAULT,
                        column("id", INT4),
                        column("body", INT4_ARRAY));
        assertThat(
                        ToastPlanningCheck.anyCanArriveUnchanged(
                                List.of(arrays), NAMES, new PgTypeRegistry()))
                .isTrue();
    }

    private static UnchangedToastChoice choice(
            Map<String, String> options, ResolvedChangelogMode mode, List<PgTableFacts> tables) {
        return choice(options, mode, tables, new IntType());
    }

    private static UnchangedToastChoice choice(
            Map<String, String> options,
            ResolvedChangelogMode mode,
            List<PgTableFacts> tables,
            LogicalType keyType) {
        Configuration c = new Configuration();
        c.setString("hostname", "db.example");
        c.setString("username", "cdc");
        c.setString("database-name", "shop");
        c.setString("table-name", "docs.*");
        c.setString("slot.name", "flink_docs");
        options.forEach(c::setString);
        return ToastPlanningCheck.check(
                PgWalStreamTableConfig.from(c, Map.of()),
                mode,
                tables,
                NAMES,
                List.of(keyType, new VarCharType(VarCharType.MAX_LENGTH)),
                List.of("id"),
                new PgTypeRegistry(),
                "Flink table src");
    }

    private static PgTableFacts docs(String name) {
        return table(name, ReplicaIdentity.DEFAULT, column("id", INT4), column("body", TEXT));
    }

    private static PgTableFacts table(
            String name, ReplicaIdentity identity, RelationColumn... columns) {
        return new PgTableFacts(
                TableName.of("public", name),
                1,
                false,
                identity,
                List.of("id"),
                List.of(),
                List.of(columns));
    }

    private static RelationColumn column(String name, int typeOid) {
        return new RelationColumn(
                name.equals("id") ? RelationColumn.FLAG_KEY : 0, name, typeOid, -1);
    }
}
