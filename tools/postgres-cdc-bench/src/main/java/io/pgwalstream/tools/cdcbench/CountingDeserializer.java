package io.pgwalstream.tools.cdcbench;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Struct;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.source.SourceRecord;
import org.apache.flink.cdc.debezium.DebeziumDeserializationSchema;
import org.apache.flink.util.Collector;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The least a postgres-cdc job can do with a change: count the Debezium records that carry a row
 * change (an envelope with {@code op}; heartbeats and schema records carry none) and emit the count.
 * Debezium has already decoded every column into its {@code Struct} when this is called, which is
 * postgres-cdc's own cost; anything a real job adds (JSON, RowData) comes on top.
 *
 * <p>Counts in static fields: the job runs on a local cluster in this JVM, where the main thread
 * waits for the N-th row.
 */
final class CountingDeserializer implements DebeziumDeserializationSchema<Long> {

    private static final long serialVersionUID = 1L;

    private static final AtomicLong ROWS = new AtomicLong();
    private static volatile long expected = Long.MAX_VALUE;
    private static volatile long firstNanos;
    private static volatile long lastNanos;
    private static final CountDownLatch ALL = new CountDownLatch(1);

    static void expect(long rows) {
        expected = rows;
    }

    @Override
    public void deserialize(SourceRecord record, Collector<Long> out) {
        Object value = record.value();
        if (!(value instanceof Struct) || ((Struct) value).schema().field("op") == null) {
            return;
        }
        long n = ROWS.incrementAndGet();
        if (n == 1) {
            firstNanos = System.nanoTime();
        }
        if (n == expected) {
            lastNanos = System.nanoTime();
            ALL.countDown();
        }
        out.collect(n);
    }

    static boolean awaitAll(long timeout, TimeUnit unit) throws InterruptedException {
        return ALL.await(timeout, unit);
    }

    static long rows() {
        return ROWS.get();
    }

    static long firstNanos() {
        return firstNanos;
    }

    static long lastNanos() {
        return lastNanos;
    }

    @Override
    public TypeInformation<Long> getProducedType() {
        return Types.LONG;
    }
}
