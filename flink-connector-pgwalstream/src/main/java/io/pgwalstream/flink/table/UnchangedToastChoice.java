package io.pgwalstream.flink.table;

import io.pgwalstream.flink.rowdata.PgConversionOptions.UnchangedToast;
import io.pgwalstream.flink.rowdata.toast.MissingValuePolicy;

import org.apache.flink.annotation.Internal;

import java.io.Serializable;
import java.util.Objects;

/**
 * What a scan does with values an UPDATE leaves out of the WAL, as planning decided it from the
 * options and the tables.
 *
 * @param policy the policy in force ({@code FILL} by default for upsert tables)
 * @param missing under {@code FILL}, what happens to a value Flink state lacks
 */
@Internal
record UnchangedToastChoice(UnchangedToast policy, MissingValuePolicy missing)
        implements Serializable {

    private static final long serialVersionUID = 1L;

    UnchangedToastChoice {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(missing, "missing");
    }
}
