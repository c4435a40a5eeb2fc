package io.pgwalstream.replication;

import org.junit.jupiter.api.Test;

import java.io.EOFException;
import java.net.SocketException;
import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

class FailureClassifierTest {

    @Test
    void connectionProblemsAreTransient() {
        assertThat(transientFor(new SQLException("reset", "08006"), false)).isTrue();
        assertThat(transientFor(new SQLException("terminated", "57P01"), false)).isTrue();
        assertThat(transientFor(new SQLException("starting up", "57P03"), false)).isTrue();
        assertThat(transientFor(new SQLException("too many", "53300"), false)).isTrue();
        assertThat(transientFor(new RuntimeException(new SocketException("reset")), false))
                .isTrue();
        assertThat(transientFor(new SQLException("eof", null, new EOFException()), false)).isTrue();
    }

    @Test
    void whatRetryingCannotFixIsPermanentAndSaysWhatToDo() {
        FailureClassifier.Classification missing =
                FailureClassifier.classify(new SQLException("no slot", "42704"), true);
        assertThat(missing.transientFailure()).isFalse();
        assertThat(missing.advice()).contains("does not exist").contains("create it");
        FailureClassifier.Classification publication =
                FailureClassifier.classify(
                        new SQLException("ERROR: publication \"p\" does not exist", "42704"), true);
        assertThat(publication.transientFailure()).isFalse();
        assertThat(publication.advice())
                .contains("publication does not exist")
                .doesNotContain("slot does not exist");
        assertThat(transientFor(new SQLException("auth", "28P01"), true)).isFalse();
        assertThat(transientFor(new SQLException("perm", "42501"), true)).isFalse();
        assertThat(transientFor(new SQLException("invalidated", "55000"), true)).isFalse();
        assertThat(transientFor(new IllegalStateException("bug"), true)).isFalse();
    }

    @Test
    void aBusySlotIsPermanentExceptWhileOurOwnOldWalsenderMayHoldIt() {
        SQLException busy = new SQLException("slot active for PID 42", "55006");
        assertThat(transientFor(busy, false)).isFalse();
        assertThat(transientFor(busy, true)).isTrue();
        assertThat(FailureClassifier.classify(busy, false).advice()).contains("another process");
    }

    private static boolean transientFor(Throwable t, boolean reconnecting) {
        return FailureClassifier.classify(t, reconnecting).transientFailure();
    }
}
