package io.pgwalstream.flink.source;

import io.pgwalstream.changes.ChangeEvent;
import io.pgwalstream.changes.ChangeKind;
import io.pgwalstream.replication.TableName;
import io.pgwalstream.testing.postgres.PostgresServer;
import io.pgwalstream.testing.postgres.PostgresTest;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.Collector;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code snapshotReaders(n)}: only subtasks below n read chunks; every row still arrives once. */
@PostgresTest
@Timeout(180)
class SnapshotReadersITCase {

    private static final int ROWS = 20_000;

    @Test
    void onlyTheFirstReadersReadChunks(PostgresServer pg) throws Exception {
        SourceTestDatabase db = SourceTestDatabase.create(pg, "snap_readers");
        db.sql(
                "CREATE TABLE reader_items (id int PRIMARY KEY, v text)",
                "CREATE PUBLICATION pub_reader_items FOR TABLE reader_items",
                "INSERT INTO reader_items SELECT g, 'v' || g FROM generate_series(1, "
                        + ROWS
                        + ") g",
                "ANALYZE reader_items");
        PgWalStreamSource<Integer> source =
                PgWalStreamSource.<Integer>builder()
                        .connection(db.config())
                        .slotGroup(
                                db.slot(0),
                                "pub_reader_items",
                                List.of(TableName.of("public", "reader_items")))
                        .binary(true)
                        .snapshotOnly()
                        .snapshotChunks(100, null)
                        .snapshotReaders(1)
                        .deserializer(new SnapshotKeys())
                        .build();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        Map<Integer, Integer> subtaskByKey = new TreeMap<>();
        Set<Integer> subtasks = new HashSet<>();
        try (CloseableIterator<int[]> it =
                env.fromSource(source, WatermarkStrategy.noWatermarks(), "pg-walstream")
                        .map(new WithSubtask())
                        .executeAndCollect("snapshot readers")) {
            while (it.hasNext()) {
                int[] row = it.next();
                assertThat(subtaskByKey.put(row[0], row[1])).as("row %s twice", row[0]).isNull();
                subtasks.add(row[1]);
            }
        }
        assertThat(subtaskByKey).hasSize(ROWS);
        assertThat(subtasks).containsExactly(0);
    }

    /** The int4 key of each snapshot row (binary form). */
    private static final class SnapshotKeys implements ChangeEventDeserializer<Integer> {
        @Override
        public void deserialize(ChangeEvent event, Collector<Integer> out) {
            if (event.kind() == ChangeKind.SNAPSHOT) {
                out.collect(ByteBuffer.wrap(event.after().valueBytes(0)).getInt());
            }
        }

        @Override
        public TypeInformation<Integer> getProducedType() {
            return Types.INT;
        }
    }

    /** Pairs each key with the subtask that read it (the map is chained to its source). */
    private static final class WithSubtask extends RichMapFunction<Integer, int[]> {
        @Override
        public int[] map(Integer key) {
            return new int[] {key, getRuntimeContext().getTaskInfo().getIndexOfThisSubtask()};
        }
    }
}
