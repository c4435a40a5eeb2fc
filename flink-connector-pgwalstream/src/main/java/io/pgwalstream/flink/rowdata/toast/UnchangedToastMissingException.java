package io.pgwalstream.flink.rowdata.toast;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.types.RowKind;

import javax.annotation.Nullable;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * An UPDATE left TOASTed values unchanged that the fill operator cannot fill: its state does not
 * hold them and the {@link MissingValuePolicy} is {@link MissingValuePolicy#FAIL}. Emitting the row
 * with NULLs would silently overwrite real values downstream, so the job stops instead.
 */
@PublicEvolving
public class UnchangedToastMissingException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    UnchangedToastMissingException(String message) {
        super(message);
    }

    /**
     * @param dataType the names of the data fields
     * @param row the row's data fields
     * @param fields the positions of the fields that could not be filled
     * @param stateAbsent true when state holds nothing at all for the key
     */
    static UnchangedToastMissingException of(
            RowKind kind,
            RowType dataType,
            int[] keyFields,
            Object[] row,
            int[] fields,
            boolean stateAbsent) {
        List<String> names = dataType.getFieldNames();
        String key =
                IntStream.of(keyFields)
                        .mapToObj(k -> names.get(k) + "=" + valueText(row[k]))
                        .collect(Collectors.joining(", "));
        return new UnchangedToastMissingException(
                "Cannot fill the unchanged TOASTed value"
                        + (fields.length == 1 ? "" : "s")
                        + " of "
                        + IntStream.of(fields)
                                .mapToObj(names::get)
                                .collect(Collectors.joining(", "))
                        + " in an "
                        + kind
                        + " of the row with key ("
                        + key
                        + "): "
                        + (stateAbsent
                                ? "the fill operator's state holds no values for this key."
                                : "the fill operator's state does not hold them.")
                        + " The state only knows the rows the job has read; a job started"
                        + " without the initial snapshot (or whose state was lost) meets"
                        + " UPDATEs of rows it has never seen. Start the job with"
                        + " scan.startup.mode = 'initial' so the snapshot fills the state, or set"
                        + " 'types.unchanged-toast.missing' = 'LOOKUP' to read the missing values"
                        + " from PostgreSQL by key.");
    }

    private static String valueText(@Nullable Object value) {
        return value instanceof byte[] bytes ? Arrays.toString(bytes) : String.valueOf(value);
    }
}
