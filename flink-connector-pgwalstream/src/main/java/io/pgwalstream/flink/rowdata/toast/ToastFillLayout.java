package io.pgwalstream.flink.rowdata.toast;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.table.types.logical.BigIntType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.table.types.logical.VarBinaryType;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Where the fill operator finds what it needs in the rows a {@code RowDataChangelogDeserializer}
 * produces under {@code types.unchanged-toast = FILL}, and what it hands on.
 *
 * <p>An input row is the output row (its first {@link #outputArity()} fields: the physical fields,
 * then the metadata columns), then the key fields the output does not contain, then one BYTES field
 * of {@linkplain ToastFlags flags} (one byte per field before it, or NULL when every flag is {@link
 * ToastFlags#NOT_KEPT}), then one BIGINT field with the change's transaction id (0 for snapshot
 * rows). The operator emits the first {@code outputArity} fields, with every value flagged {@link
 * ToastFlags#UNCHANGED} filled in.
 *
 * @param inputType the rows the deserializer produces, hidden fields included
 * @param outputArity how many leading fields the operator emits
 * @param keyFields input positions of the primary key's fields, in key order
 * @param flagsField input position of the flags
 * @param xidField input position of the transaction id
 */
@PublicEvolving
public record ToastFillLayout(
        RowType inputType, int outputArity, int[] keyFields, int flagsField, int xidField)
        implements Serializable {

    private static final long serialVersionUID = 1L;

    public ToastFillLayout {
        keyFields = keyFields.clone();
        int arity = inputType.getFieldCount();
        if (flagsField != arity - 2 || xidField != arity - 1) {
            throw new IllegalArgumentException(
                    "The flags and the xid must be the last two of the "
                            + arity
                            + " input fields, not at "
                            + flagsField
                            + " and "
                            + xidField);
        }
        if (outputArity < 1 || outputArity > flagsField) {
            throw new IllegalArgumentException(
                    "Output arity " + outputArity + " outside 1.." + flagsField);
        }
        if (keyFields.length == 0) {
            throw new IllegalArgumentException("Filling unchanged TOAST needs a primary key");
        }
        for (int k : keyFields) {
            if (k < 0 || k >= flagsField) {
                throw new IllegalArgumentException(
                        "Key field " + k + " outside the data fields 0.." + (flagsField - 1));
            }
        }
    }

    /** Name of the hidden flags field {@link #appendingHiddenFields} adds. */
    public static final String FLAGS_FIELD = "__pgwalstream_toast_flags";

    /** Name of the hidden transaction id field {@link #appendingHiddenFields} adds. */
    public static final String XID_FIELD = "__pgwalstream_xid";

    /**
     * The layout of rows that are {@code output} (physical fields then metadata columns) with the
     * flags and the xid appended: what {@code RowDataChangelogDeserializer} produces under FILL.
     *
     * @param keyFields positions of the primary key in {@code output}
     */
    public static ToastFillLayout appendingHiddenFields(RowType output, int[] keyFields) {
        for (String name : output.getFieldNames()) {
            if (name.equals(FLAGS_FIELD) || name.equals(XID_FIELD)) {
                throw new IllegalArgumentException(
                        "Field name " + name + " is reserved for the unchanged-TOAST fill");
            }
        }
        List<RowType.RowField> fields = new ArrayList<>(output.getFields());
        fields.add(
                new RowType.RowField(
                        FLAGS_FIELD, new VarBinaryType(true, VarBinaryType.MAX_LENGTH)));
        fields.add(new RowType.RowField(XID_FIELD, new BigIntType(false)));
        int arity = fields.size();
        return new ToastFillLayout(
                new RowType(false, fields),
                output.getFieldCount(),
                keyFields,
                arity - 2,
                arity - 1);
    }

    @Override
    public int[] keyFields() {
        return keyFields.clone();
    }

    /** The fields before the flags: the output fields and the hidden key fields. */
    public int dataArity() {
        return flagsField;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ToastFillLayout l
                && inputType.equals(l.inputType)
                && outputArity == l.outputArity
                && Arrays.equals(keyFields, l.keyFields)
                && flagsField == l.flagsField
                && xidField == l.xidField;
    }

    @Override
    public int hashCode() {
        return 31 * inputType.hashCode() + Arrays.hashCode(keyFields) + outputArity;
    }
}
