package io.pgwalstream.replication;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(10)
class PublicationInfoTest {

    private static final TableName A = TableName.of("s", "a");
    private static final TableName B = TableName.of("s", "b");
    private static final TableName C = TableName.of("t", "c");

    @Test
    void listsUnpublishedTablesInTheOrderAskedWithoutDuplicates() {
        PublicationInfo info =
                new PublicationInfo(
                        "p", false, List.of(B, A), Set.of(PublicationOperation.INSERT), false);
        assertThat(info.tables()).containsExactly(A, B);
        assertThat(info.unpublished(List.of(C, A, C, TableName.of("s", "A"))))
                .containsExactly(C, TableName.of("s", "A"));
        assertThat(info.publishes(PublicationOperation.INSERT)).isTrue();
        assertThat(info.publishes(PublicationOperation.TRUNCATE)).isFalse();
    }

    @Test
    void allTablesPublishesEverything() {
        PublicationInfo info =
                new PublicationInfo(
                        "p", true, List.of(), EnumSet.allOf(PublicationOperation.class), true);
        assertThat(info.unpublished(List.of(A, C))).isEmpty();
        assertThat(info.publishes(C)).isTrue();
    }

    @Test
    void isImmutable() {
        PublicationInfo info = new PublicationInfo("p", false, List.of(A), Set.of(), false);
        assertThat(info.operations()).isEmpty();
        assertThatThrownBy(() -> info.tables().add(B))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> info.operations().add(PublicationOperation.DELETE))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void schemaPublicationsAreReadFromPostgres15On() {
        assertThat(PgPublicationManager.publishedTablesSql(new ServerVersion(140015)))
                .contains("pg_publication_tables")
                .contains("pg_publication_rel")
                .doesNotContain("pg_publication_namespace");
        assertThat(PgPublicationManager.publishedTablesSql(new ServerVersion(150010)))
                .contains("pg_publication_namespace")
                .contains("c.relkind = 'p'");
    }
}
