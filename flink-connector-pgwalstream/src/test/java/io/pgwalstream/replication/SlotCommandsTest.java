package io.pgwalstream.replication;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SlotCommandsTest {

    private static final ServerVersion PG14 = new ServerVersion(140015);
    private static final ServerVersion PG15 = new ServerVersion(150010);
    private static final ServerVersion PG16 = new ServerVersion(160006);
    private static final ServerVersion PG17 = new ServerVersion(170005);

    @Test
    void pg14UsesTheLegacyKeywords() {
        assertThat(SlotCommands.createLogical(LogicalSlotSpec.of("s1"), PG14))
                .isEqualTo("CREATE_REPLICATION_SLOT \"s1\" LOGICAL \"pgoutput\" NOEXPORT_SNAPSHOT");
        assertThat(
                        SlotCommands.createLogical(
                                LogicalSlotSpec.of("s1")
                                        .withTemporary(true)
                                        .withSnapshot(SnapshotAction.EXPORT),
                                PG14))
                .isEqualTo(
                        "CREATE_REPLICATION_SLOT \"s1\" TEMPORARY LOGICAL \"pgoutput\""
                                + " EXPORT_SNAPSHOT");
        assertThat(SlotCommands.createPhysical(PhysicalSlotSpec.of("p1"), PG14))
                .isEqualTo("CREATE_REPLICATION_SLOT \"p1\" PHYSICAL RESERVE_WAL");
    }

    @Test
    void pg15AndLaterUseTheOptionList() {
        assertThat(
                        SlotCommands.createLogical(
                                LogicalSlotSpec.of("s1")
                                        .withSnapshot(SnapshotAction.USE)
                                        .withTwoPhase(true),
                                PG15))
                .isEqualTo(
                        "CREATE_REPLICATION_SLOT \"s1\" LOGICAL \"pgoutput\""
                                + " (SNAPSHOT 'use', TWO_PHASE true)");
        assertThat(
                        SlotCommands.createLogical(
                                LogicalSlotSpec.of("s1").withTwoPhase(true).withFailover(true),
                                PG17))
                .isEqualTo(
                        "CREATE_REPLICATION_SLOT \"s1\" LOGICAL \"pgoutput\""
                                + " (SNAPSHOT 'nothing', TWO_PHASE true, FAILOVER true)");
        assertThat(SlotCommands.createPhysical(new PhysicalSlotSpec("p1", true, true), PG16))
                .isEqualTo("CREATE_REPLICATION_SLOT \"p1\" TEMPORARY PHYSICAL (RESERVE_WAL true)");
        assertThat(SlotCommands.createPhysical(new PhysicalSlotSpec("p1", false, false), PG16))
                .isEqualTo("CREATE_REPLICATION_SLOT \"p1\" PHYSICAL");
    }

    @Test
    void missingFeaturesNameTheFeatureTheVersionNeededAndTheServer() {
        assertThatThrownBy(
                        () ->
                                SlotCommands.createLogical(
                                        LogicalSlotSpec.of("s1").withTwoPhase(true), PG14))
                .isInstanceOf(UnsupportedServerFeatureException.class)
                .hasMessageContaining("two_phase")
                .hasMessageContaining("PostgreSQL 15 or newer")
                .hasMessageContaining("PostgreSQL 14.15");
        assertThatThrownBy(
                        () ->
                                SlotCommands.createLogical(
                                        LogicalSlotSpec.of("s1").withFailover(true), PG16))
                .isInstanceOf(UnsupportedServerFeatureException.class)
                .hasMessageContaining("FAILOVER")
                .hasMessageContaining("PostgreSQL 17 or newer")
                .hasMessageContaining("PostgreSQL 16.6")
                .extracting(e -> ((UnsupportedServerFeatureException) e).feature())
                .isEqualTo(ReplicationFeature.FAILOVER_SLOTS);
    }

    @Test
    void temporaryFailoverSlotsAreRejected() {
        assertThatThrownBy(() -> LogicalSlotSpec.of("s1").withTemporary(true).withFailover(true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("temporary slot cannot be a failover slot");
    }

    @Test
    void slotNamesAreValidatedLikeTheServerDoes() {
        assertThat(SlotName.validate("orders_slot_1")).isEqualTo("orders_slot_1");
        assertThatThrownBy(() -> SlotName.validate("Orders"))
                .hasMessageContaining("contains 'O'")
                .hasMessageContaining("lower-case letters, digits and underscores");
        assertThatThrownBy(() -> SlotName.validate("my slot")).hasMessageContaining("contains ' '");
        assertThatThrownBy(() -> SlotName.validate("x".repeat(64))).hasMessageContaining("63");
        assertThatThrownBy(() -> SlotName.validate("")).hasMessageContaining("empty");
    }

    @Test
    void dropWaitsOnlyWhenAsked() {
        assertThat(SlotCommands.drop("s1", false)).isEqualTo("DROP_REPLICATION_SLOT \"s1\"");
        assertThat(SlotCommands.drop("s1", true)).isEqualTo("DROP_REPLICATION_SLOT \"s1\" WAIT");
    }

    @Test
    void quotingUsesOnlyTheEscapesTheReplicationLexerKnows() {
        assertThat(ReplicationSyntax.identifier("My \"Pub\" ü")).isEqualTo("\"My \"\"Pub\"\" ü\"");
        assertThat(ReplicationSyntax.literal("it's a \\ test"))
                .isEqualTo("'it''s a \\ test'")
                .doesNotStartWith("E");
        assertThatThrownBy(() -> ReplicationSyntax.identifier("a\0b")).hasMessageContaining("NUL");
    }

    @Test
    void serverVersionKnowsItsProtocolAndFeatures() {
        assertThat(PG14.maxProtoVersion()).isEqualTo(2);
        assertThat(PG15.maxProtoVersion()).isEqualTo(3);
        assertThat(PG16.maxProtoVersion()).isEqualTo(4);
        assertThat(new ServerVersion(180000).maxProtoVersion()).isEqualTo(4);
        assertThat(PG15.supports(ReplicationFeature.PARALLEL_STREAMING)).isFalse();
        assertThat(PG16.supports(ReplicationFeature.PARALLEL_STREAMING)).isTrue();
        assertThat(PG16.supports(ReplicationFeature.ORIGIN_FILTER)).isTrue();
        assertThat(ServerVersion.parse("170005").toString()).isEqualTo("17.5");
        assertThatThrownBy(() -> new ServerVersion(130010).requireSupported())
                .hasMessageContaining("needs PostgreSQL 14 or newer");
    }
}
