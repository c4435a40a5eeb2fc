package io.pgwalstream.flink.typed;

import io.pgwalstream.changes.ChangeKind;

import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Changes of records through Flink's POJO serializer, and the versioned snapshot. */
class ChangeSerializerTest {

    /** Public: Flink serializes public records as POJOs. */
    public record Item(long id, String name, BigDecimal price, List<String> tags) {}

    private final ChangeTypeInfo<Item> info = new ChangeTypeInfo<>(TypeInformation.of(Item.class));
    private final TypeSerializer<Change<Item>> serializer =
            info.createSerializer(new SerializerConfigImpl());

    @Test
    void recordsAreSerializedAsPojosNotWithKryo() {
        assertThat(info.rowType()).isInstanceOf(PojoTypeInfo.class);
    }

    @Test
    void everyKindRoundTrips() throws Exception {
        Item a = new Item(1, "a", new BigDecimal("1.50"), mutable("x"));
        Item b = new Item(1, "b", null, mutable());
        List<Change<Item>> changes =
                List.of(
                        new Change<>(ChangeKind.SNAPSHOT, null, a, "s", "t", 100L, 0L, null, null),
                        new Change<>(
                                ChangeKind.UPDATE,
                                a,
                                b,
                                "s",
                                "t",
                                200L,
                                4_000_000_000L,
                                Instant.parse("2024-05-06T07:08:09.123456Z"),
                                "upstream"),
                        new Change<>(ChangeKind.DELETE, b, null, "s", "t", 300L, 9L, null, null));
        for (Change<Item> change : changes) {
            DataOutputSerializer out = new DataOutputSerializer(64);
            serializer.serialize(change, out);
            Change<Item> back =
                    serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
            assertThat(back).isEqualTo(change);
            assertThat(serializer.copy(change)).isEqualTo(change);
        }
    }

    @Test
    void theSnapshotRestoresACompatibleSerializer() throws Exception {
        TypeSerializerSnapshot<Change<Item>> snapshot = serializer.snapshotConfiguration();
        DataOutputSerializer out = new DataOutputSerializer(256);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, snapshot);
        TypeSerializerSnapshot<Change<Item>> read =
                TypeSerializerSnapshot.readVersionedSnapshot(
                        new DataInputDeserializer(out.getCopyOfBuffer()),
                        getClass().getClassLoader());
        assertThat(read.restoreSerializer()).isEqualTo(serializer);
        TypeSerializerSchemaCompatibility<Change<Item>> compatibility =
                serializer.snapshotConfiguration().resolveSchemaCompatibility(read);
        assertThat(compatibility.isCompatibleAsIs()).isTrue();
    }

    @Test
    void routedChangesUseTheirRoutesRowSerializer() throws Exception {
        RoutedChangeTypeInfo routed =
                new RoutedChangeTypeInfo(
                        List.of(TypeInformation.of(Item.class), TypeInformation.of(String.class)));
        TypeSerializer<RoutedChange> s = routed.createSerializer(new SerializerConfigImpl());
        List<RoutedChange> values =
                List.of(
                        new RoutedChange(
                                0,
                                new Change<>(
                                        ChangeKind.INSERT,
                                        null,
                                        new Item(3, "c", BigDecimal.ONE, mutable()),
                                        "s",
                                        "items",
                                        5L,
                                        6L,
                                        Instant.EPOCH,
                                        null)),
                        new RoutedChange(
                                1,
                                new Change<>(
                                        ChangeKind.DELETE,
                                        "k",
                                        null,
                                        "s",
                                        "notes",
                                        7L,
                                        8L,
                                        null,
                                        null)));
        for (RoutedChange value : values) {
            DataOutputSerializer out = new DataOutputSerializer(64);
            s.serialize(value, out);
            assertThat(s.deserialize(new DataInputDeserializer(out.getCopyOfBuffer())))
                    .isEqualTo(value);
        }
        TypeSerializerSnapshot<RoutedChange> snapshot = s.snapshotConfiguration();
        DataOutputSerializer out = new DataOutputSerializer(256);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, snapshot);
        TypeSerializerSnapshot<RoutedChange> read =
                TypeSerializerSnapshot.readVersionedSnapshot(
                        new DataInputDeserializer(out.getCopyOfBuffer()),
                        getClass().getClassLoader());
        assertThat(read.restoreSerializer()).isEqualTo(s);
        assertThatThrownBy(() -> s.serialize(new RoutedChange(2, values.get(1).change()), out))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void onlyRowChangesAreChanges() {
        assertThatThrownBy(
                        () ->
                                new Change<Item>(
                                        ChangeKind.TRUNCATE,
                                        null,
                                        null,
                                        "s",
                                        "t",
                                        1,
                                        1,
                                        null,
                                        null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * Flink 1.20 serializes a POJO's List fields with Kryo, which cannot rebuild an immutable
     * {@code List.of}: the mapper hands out ArrayLists, and so do these tests.
     */
    private static List<String> mutable(String... values) {
        return new java.util.ArrayList<>(List.of(values));
    }
}
