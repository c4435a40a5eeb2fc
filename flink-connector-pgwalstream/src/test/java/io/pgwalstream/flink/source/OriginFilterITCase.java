package io.pgwalstream.flink.source;

import io.pgwalstream.changes.ChangeEvent;
import io.pgwalstream.replication.TableName;
import io.pgwalstream.testing.postgres.EveryPostgresVersion;
import io.pgwalstream.testing.postgres.PostgresServer;
import io.pgwalstream.testing.postgres.PostgresTest;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.Collector;
import org.apache.flink.util.ExceptionUtils;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * {@code origin(OriginFilter.NONE)} end to end: a change written in a session with a replication
 * origin (as a logical replication apply worker writes them) is dropped, local changes are kept;
 * without the filter both arrive and the first carries its origin's name. Before PostgreSQL 16 the
 * filter is refused with the version it needs.
 */
@PostgresTest
@Timeout(300)
class OriginFilterITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(1)
                            .build());

    @EveryPostgresVersion
    void changesWithAReplicationOriginAreDroppedByOriginNone(PostgresServer pg) throws Exception {
        SourceTestDatabase db = SourceTestDatabase.create(pg, "origin");
        db.createSlotAndReadPosition(0);
        db.createSlotAndReadPosition(1);
        if (pg.version().major() < 16) {
            Throwable failure =
                    catchThrowable(
                            () -> read(db.source(1).origin(OriginFilter.NONE).stopAtCurrentLsn()));
            // The enumerator's error reaches the client serialized: matched by its message.
            assertThat(
                            ExceptionUtils.findThrowableWithMessage(
                                    failure, "replication origin (origin) needs PostgreSQL 16"))
                    .as("the unsupported-feature error in %s", failure)
                    .isPresent();
            return;
        }
        // Origins are cluster-wide: a name of this test's own, dropped at the end.
        String origin = db.name() + "_upstream";
        db.sql(
                "INSERT INTO items VALUES (1, 'local')",
                "SELECT pg_replication_origin_create('" + origin + "')",
                "SELECT pg_replication_origin_session_setup('" + origin + "')",
                "INSERT INTO items VALUES (2, 'replicated')",
                "SELECT pg_replication_origin_session_reset()",
                "INSERT INTO items VALUES (3, 'local')");

        // Group 0 with the filter, group 1 (the same publication) without.
        List<String> filtered = read(db.source(1).origin(OriginFilter.NONE).stopAtCurrentLsn());
        assertThat(filtered).containsExactly("1 local", "3 local");

        PgWalStreamSourceBuilder<String> unfiltered =
                PgWalStreamSource.<String>builder()
                        .connection(db.config())
                        .slotGroup(
                                db.slot(1), "pub_items", List.of(TableName.of("public", "items")))
                        .stopAtCurrentLsn();
        assertThat(read(unfiltered))
                .containsExactly("1 local", "2 replicated from " + origin, "3 local");
        db.sql("SELECT pg_replication_origin_drop('" + origin + "')");
    }

    private static List<String> read(PgWalStreamSourceBuilder<String> builder) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        PgWalStreamSource<String> source = builder.deserializer(new IdAndOrigin()).build();
        List<String> out = new ArrayList<>();
        try (CloseableIterator<String> it =
                env.fromSource(source, WatermarkStrategy.noWatermarks(), "pg-walstream")
                        .executeAndCollect()) {
            it.forEachRemaining(out::add);
        }
        return out;
    }

    /** {@code "id v"}, plus {@code " from <origin>"} when the transaction carries one. */
    static final class IdAndOrigin implements ChangeEventDeserializer<String> {
        @Override
        public void deserialize(ChangeEvent event, Collector<String> out) {
            String origin = event.transaction().originName();
            out.collect(
                    event.after().valueAsString(0)
                            + " "
                            + event.after().valueAsString(1)
                            + (origin == null ? "" : " from " + origin));
        }

        @Override
        public TypeInformation<String> getProducedType() {
            return Types.STRING;
        }
    }
}
