package io.pgwalstream.flink.rowdata;

import io.pgwalstream.protocol.Relation;
import io.pgwalstream.protocol.TupleData;
import io.pgwalstream.testing.values.Bin;
import io.pgwalstream.testing.values.Tuples;
import io.pgwalstream.types.PgTypeRegistry;

import org.apache.flink.table.data.GenericRowData;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.math.BigDecimal;

import static io.pgwalstream.testing.values.Tuples.column;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Bounds what converting a typical row allocates, so that a per-value {@link String} (or any other
 * detour) on the hot path shows up as a failure. The budget is what Flink's data structures need:
 * the row and its field array, a box per number, a {@code BinaryStringData} with its memory-segment
 * wrapper per string, a {@code DecimalData}, a {@code TimestampData}.
 */
class HotPathAllocationTest {

    private static final Relation RELATION =
            Tuples.relation(
                    column("id", 23, -1),
                    column("big", 20, -1),
                    column("ok", 16, -1),
                    column("ratio", 701, -1),
                    column("name", 25, -1),
                    column("price", 1700, ScalarConvertersTest.typmod(10, 2)),
                    column("at", 1184, -1),
                    column("day", 1082, -1));

    private static final int ROWS = 20_000;

    /**
     * Measured 352 bytes per row on JDK 17 (compressed oops) for the eight columns, text or binary:
     * what the Flink structures themselves take.
     */
    private static final long BUDGET_PER_ROW = 400;

    private static long perRow(Relation relation, TupleData tuple) {
        TupleToRowData converter =
                TupleToRowData.allColumns(
                        relation,
                        new PgTypeRegistry(),
                        ConversionPolicies.defaults(),
                        new ConversionWarnings());
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long sink = 0;
        for (int i = 0; i < ROWS; i++) { // warm up
            sink += converter.convert(tuple).getArity();
        }
        long best = Long.MAX_VALUE;
        for (int round = 0; round < 3; round++) {
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < ROWS; i++) {
                GenericRowData row = converter.convert(tuple);
                sink += row.getArity();
            }
            best = Math.min(best, (threads.getCurrentThreadAllocatedBytes() - before) / ROWS);
        }
        assertThat(sink).isPositive();
        return best;
    }

    private static void assumeAllocationCounting() {
        assumeTrue(
                ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean
                        && ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
                                .isThreadAllocatedMemoryEnabled());
    }

    @Test
    void textRowStaysWithinTheBudget() {
        assumeAllocationCounting();
        TupleData text =
                Tuples.of()
                        .text("123456")
                        .text("-9876543210123")
                        .text("t")
                        .text("19.99")
                        .text("a reasonably long customer name, ünïcödé")
                        .text("12345.67")
                        .text("2024-02-29 12:34:56.123456+05:30")
                        .text("2024-02-29")
                        .build();
        assertThat(perRow(RELATION, text)).isLessThanOrEqualTo(BUDGET_PER_ROW);
    }

    @Test
    void binaryRowStaysWithinTheBudget() {
        assumeAllocationCounting();
        TupleData binary =
                Tuples.of()
                        .binary(Bin.int4(123456))
                        .binary(Bin.int8(-9876543210123L))
                        .binary(new byte[] {1})
                        .binary(Bin.float8(19.99))
                        .binary(Bin.text("a reasonably long customer name, ünïcödé"))
                        .binary(Bin.numeric(new BigDecimal("12345.67")))
                        .binary(Bin.int8(762_525_296_123_456L))
                        .binary(Bin.int4(8825))
                        .build();
        assertThat(perRow(RELATION, binary)).isLessThanOrEqualTo(BUDGET_PER_ROW);
    }

    @Test
    void stringsPointIntoTheMessageInsteadOfBeingCopied() {
        assumeAllocationCounting();
        Relation texts =
                Tuples.relation(
                        column("a", 25, -1),
                        column("b", 1043, -1),
                        column("c", 3802, -1),
                        column("d", 25, -1));
        String large = "ü".repeat(1000); // 2000 bytes
        String json = "{\"k\": \"" + large + "\"}";
        TupleData text = Tuples.of().text(large).text(large).text(json).text(large).build();
        TupleData binary =
                Tuples.of()
                        .binary(Bin.text(large))
                        .binary(Bin.text(large))
                        .binary(Bin.of().i8(1).utf8(json).build())
                        .binary(Bin.text(large))
                        .build();
        // Four values of 2000+ bytes; copying (or decoding to String) any one of them costs more
        // than the whole budget.
        assertThat(perRow(texts, text)).isLessThan(1000);
        assertThat(perRow(texts, binary)).isLessThan(1000);
    }
}
