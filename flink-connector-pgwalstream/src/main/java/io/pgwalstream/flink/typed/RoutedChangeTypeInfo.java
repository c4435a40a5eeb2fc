package io.pgwalstream.flink.typed;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

import java.util.List;

/** Type information of {@link RoutedChange}: each route's change by that route's row type. */
@Internal
public final class RoutedChangeTypeInfo extends TypeInformation<RoutedChange> {

    private static final long serialVersionUID = 1L;

    private final List<TypeInformation<?>> rowTypes;

    public RoutedChangeTypeInfo(List<TypeInformation<?>> rowTypes) {
        this.rowTypes = List.copyOf(rowTypes);
    }

    @Override
    public boolean isBasicType() {
        return false;
    }

    @Override
    public boolean isTupleType() {
        return false;
    }

    @Override
    public int getArity() {
        return 1;
    }

    @Override
    public int getTotalFields() {
        return 1;
    }

    @Override
    public Class<RoutedChange> getTypeClass() {
        return RoutedChange.class;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<RoutedChange> createSerializer(SerializerConfig config) {
        TypeSerializer<?>[] rows = new TypeSerializer<?>[rowTypes.size()];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = rowTypes.get(i).createSerializer(config);
        }
        return new RoutedChangeSerializer(rows);
    }

    /** Flink 1.20's abstract variant (gone in Flink 2): the same serializer. */
    public TypeSerializer<RoutedChange> createSerializer(ExecutionConfig config) {
        return createSerializer(config.getSerializerConfig());
    }

    @Override
    public String toString() {
        return "RoutedChange" + rowTypes;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RoutedChangeTypeInfo other && rowTypes.equals(other.rowTypes);
    }

    @Override
    public int hashCode() {
        return rowTypes.hashCode();
    }

    @Override
    public boolean canEqual(Object o) {
        return o instanceof RoutedChangeTypeInfo;
    }
}
