package io.pgwalstream.tools.drain;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BenchTableTest {

    @Test
    void theNarrowRowIsTheOneTheOtherBenchmarksUse() {
        assertThat(BenchTable.NARROW.columns())
                .extracting(BenchTable.Column::name)
                .containsExactly("id", "a", "amount", "s1", "s2", "ts", "flag");
    }

    @Test
    void theWideRowHasThirtyColumnsWithJsonbAndATwoKilobyteText() {
        BenchTable wide = BenchTable.WIDE;
        assertThat(wide.columns()).hasSize(30);
        assertThat(wide.columns()).extracting(BenchTable.Column::name).doesNotHaveDuplicates();
        assertThat(wide.columns())
                .anySatisfy(c -> assertThat(c.pgType()).isEqualTo("jsonb"))
                // 64 md5 hex digests of 32 characters
                .anySatisfy(c -> assertThat(c.valueOfG()).isEqualTo("repeat(md5(g::text), 64)"));
    }

    @Test
    void ddlSelectAndFlinkColumnsListTheSameColumnsInOrder() {
        BenchTable wide = BenchTable.WIDE;
        assertThat(wide.postgresColumns())
                .startsWith("id bigint, a int, ")
                .endsWith(", PRIMARY KEY (id)");
        assertThat(wide.flinkColumns())
                .startsWith("`id` BIGINT, `a` INT, ")
                .endsWith(", PRIMARY KEY (id) NOT ENFORCED");
        assertThat(wide.selectList().split(", g").length).isGreaterThan(1);
        assertThat(wide.selectList()).startsWith("g, (g % 100000)::int, ");
    }
}
