package io.pgwalstream.flink.typed;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

import java.util.Objects;

/**
 * Type information of {@link Change}{@code <T>}: the change's own fields written by {@link
 * ChangeSerializer}, the rows by {@code T}'s serializer (for records and POJOs, Flink's POJO
 * serializer), so neither Kryo nor a generic fallback is involved.
 */
@PublicEvolving
public final class ChangeTypeInfo<T> extends TypeInformation<Change<T>> {

    private static final long serialVersionUID = 1L;

    private final TypeInformation<T> rowType;

    public ChangeTypeInfo(TypeInformation<T> rowType) {
        this.rowType = Objects.requireNonNull(rowType, "rowType");
    }

    public TypeInformation<T> rowType() {
        return rowType;
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
    @SuppressWarnings("unchecked")
    public Class<Change<T>> getTypeClass() {
        return (Class<Change<T>>) (Class<?>) Change.class;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<Change<T>> createSerializer(SerializerConfig config) {
        return new ChangeSerializer<>(rowType.createSerializer(config));
    }

    /** Flink 1.20's abstract variant (gone in Flink 2): the same serializer. */
    public TypeSerializer<Change<T>> createSerializer(ExecutionConfig config) {
        return createSerializer(config.getSerializerConfig());
    }

    @Override
    public String toString() {
        return "Change<" + rowType + ">";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChangeTypeInfo<?> other && rowType.equals(other.rowType);
    }

    @Override
    public int hashCode() {
        return 31 * rowType.hashCode() + 7;
    }

    @Override
    public boolean canEqual(Object o) {
        return o instanceof ChangeTypeInfo;
    }
}
