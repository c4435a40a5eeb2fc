package io.pgwalstream.replication;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.reflect.Proxy;
import java.sql.Connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What {@link PgSlotManager} refuses without ever using its connection. */
@Timeout(10)
class PgSlotManagerTest {

    private static final ServerVersion PG14 = new ServerVersion(140015);
    private static final ServerVersion PG16 = new ServerVersion(160006);

    /** A connection that fails the test if the manager touches it at all. */
    private static final Connection UNTOUCHABLE =
            (Connection)
                    Proxy.newProxyInstance(
                            Connection.class.getClassLoader(),
                            new Class<?>[] {Connection.class},
                            (proxy, method, args) -> {
                                throw new AssertionError(
                                        "The server was contacted: Connection." + method.getName());
                            });

    @Test
    void featuresTheServerLacksFailBeforeAnyCommandIsSent() {
        PgSlotManager pg14 = new PgSlotManager(UNTOUCHABLE, PG14, "test");
        PgSlotManager pg16 = new PgSlotManager(UNTOUCHABLE, PG16, "test");
        for (SnapshotAction snapshot : SnapshotAction.values()) {
            LogicalSlotSpec spec = LogicalSlotSpec.of("s1").withSnapshot(snapshot);
            assertThatThrownBy(() -> pg14.createLogical(spec.withTwoPhase(true)))
                    .isInstanceOf(UnsupportedServerFeatureException.class)
                    .hasMessageContaining("two_phase");
            assertThatThrownBy(() -> pg16.createLogical(spec.withFailover(true)))
                    .isInstanceOf(UnsupportedServerFeatureException.class)
                    .hasMessageContaining("FAILOVER");
        }
        assertThatThrownBy(
                        () ->
                                pg16.createLogicalInSnapshot(
                                        LogicalSlotSpec.of("s1")
                                                .withSnapshot(SnapshotAction.USE)
                                                .withFailover(true),
                                        (c, s) -> s))
                .isInstanceOf(UnsupportedServerFeatureException.class);
    }

    @Test
    void readingInASnapshotNeedsSnapshotUse() {
        PgSlotManager manager = new PgSlotManager(UNTOUCHABLE, PG16, "test");
        for (SnapshotAction snapshot :
                new SnapshotAction[] {SnapshotAction.EXPORT, SnapshotAction.NOTHING}) {
            assertThatThrownBy(
                            () ->
                                    manager.createLogicalInSnapshot(
                                            LogicalSlotSpec.of("s1").withSnapshot(snapshot),
                                            (c, s) -> s))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'s1'")
                    .hasMessageContaining("SnapshotAction.USE, not " + snapshot);
        }
    }

    @Test
    void slotNamesTheServerWouldRejectFailInTheClient() {
        PgSlotManager manager = new PgSlotManager(UNTOUCHABLE, PG16, "test");
        assertThatThrownBy(() -> manager.describe("My Slot"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("contains 'M'");
        assertThatThrownBy(() -> manager.drop("sl\"ot", true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("contains '\"'");
    }

    @Test
    void unsupportedServersAreRefused() {
        assertThatThrownBy(() -> new PgSlotManager(UNTOUCHABLE, new ServerVersion(130012), "test"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs PostgreSQL 14 or newer");
        assertThat(new PgSlotManager(UNTOUCHABLE, PG14, "test").serverVersion()).isEqualTo(PG14);
    }
}
