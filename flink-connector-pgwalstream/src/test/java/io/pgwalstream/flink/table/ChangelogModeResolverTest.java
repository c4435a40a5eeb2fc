package io.pgwalstream.flink.table;

import io.pgwalstream.flink.rowdata.ResolvedChangelogMode;
import io.pgwalstream.protocol.RelationColumn;
import io.pgwalstream.protocol.ReplicaIdentity;
import io.pgwalstream.replication.TableName;

import org.apache.flink.table.api.ValidationException;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.pgwalstream.flink.table.ChangelogModeChoice.ALL;
import static io.pgwalstream.flink.table.ChangelogModeChoice.AUTO;
import static io.pgwalstream.flink.table.ChangelogModeChoice.UPSERT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChangelogModeResolverTest {

    private static final List<String> NO_KEY = List.of();
    private static final List<String> ID = List.of("id");

    @Test
    void fullTablesGiveEveryRowKindUnlessUpsertIsAsked() {
        List<PgTableFacts> full = List.of(table("a", ReplicaIdentity.FULL, ID, NO_KEY));

        assertThat(resolve(AUTO, full, NO_KEY)).isEqualTo(ResolvedChangelogMode.ALL);
        assertThat(resolve(ALL, full, ID)).isEqualTo(ResolvedChangelogMode.ALL);
        assertThat(resolve(UPSERT, full, ID)).isEqualTo(ResolvedChangelogMode.UPSERT);
        assertThatThrownBy(() -> resolve(UPSERT, full, NO_KEY))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("needs a PRIMARY KEY");
    }

    @Test
    void aPrimaryKeyOrIdentityIndexEqualToTheDeclaredKeyGivesUpserts() {
        assertThat(resolve(AUTO, List.of(table("a", ReplicaIdentity.DEFAULT, ID, NO_KEY)), ID))
                .isEqualTo(ResolvedChangelogMode.UPSERT);
        assertThat(
                        resolve(
                                AUTO,
                                List.of(table("a", ReplicaIdentity.INDEX, NO_KEY, List.of("code"))),
                                List.of("code")))
                .isEqualTo(ResolvedChangelogMode.UPSERT);
    }

    @Test
    void mixedIdentitiesNeedTheKeyAndCannotPromiseEveryRowKind() {
        List<PgTableFacts> mixed =
                List.of(
                        table("a", ReplicaIdentity.FULL, ID, NO_KEY),
                        table("b", ReplicaIdentity.DEFAULT, ID, NO_KEY));

        assertThat(resolve(AUTO, mixed, ID)).isEqualTo(ResolvedChangelogMode.UPSERT);
        assertThatThrownBy(() -> resolve(ALL, mixed, ID))
                .hasMessageContaining("\"public\".\"b\" has REPLICA IDENTITY DEFAULT")
                .hasMessageContaining("ALTER TABLE \"public\".\"b\" REPLICA IDENTITY FULL")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\"public\".\"a\""));
    }

    @Test
    void noOldRowAtAllIsExplained() {
        assertThatThrownBy(
                        () ->
                                resolve(
                                        AUTO,
                                        List.of(table("n", ReplicaIdentity.NOTHING, ID, NO_KEY)),
                                        ID))
                .hasMessageContaining("has REPLICA IDENTITY NOTHING")
                .hasMessageContaining("REPLICA IDENTITY FULL");
        assertThatThrownBy(
                        () ->
                                resolve(
                                        UPSERT,
                                        List.of(
                                                table(
                                                        "d",
                                                        ReplicaIdentity.DEFAULT,
                                                        NO_KEY,
                                                        NO_KEY)),
                                        ID))
                .hasMessageContaining("REPLICA IDENTITY DEFAULT but no primary key");
    }

    @Test
    void anIdentityIndexOtherThanTheDeclaredKeyIsRefused() {
        assertThatThrownBy(
                        () ->
                                resolve(
                                        AUTO,
                                        List.of(
                                                table(
                                                        "i",
                                                        ReplicaIdentity.INDEX,
                                                        ID,
                                                        List.of("code"))),
                                        ID))
                .hasMessageContaining("differs from the replica identity (code)")
                .hasMessageContaining("(REPLICA IDENTITY USING INDEX)");
    }

    private static ResolvedChangelogMode resolve(
            ChangelogModeChoice choice, List<PgTableFacts> tables, List<String> key) {
        return ChangelogModeResolver.resolve(choice, tables, key, "Flink table t");
    }

    private static PgTableFacts table(
            String name, ReplicaIdentity identity, List<String> pk, List<String> index) {
        return new PgTableFacts(
                TableName.of("public", name),
                16_384,
                false,
                identity,
                pk,
                index,
                List.of(
                        new RelationColumn(0, "id", 23, -1),
                        new RelationColumn(0, "code", 25, -1)));
    }
}
