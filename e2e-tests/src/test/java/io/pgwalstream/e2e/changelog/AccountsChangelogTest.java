package io.pgwalstream.e2e.changelog;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class AccountsChangelogTest {

    private static final String S = "0/100";

    @Test
    void snapshotThenChangesInAnyFileOrderReplay(@TempDir Path dir) throws IOException {
        // The stream's transaction spans two part files of subtask 1; snapshot rows in both.
        write(
                dir,
                "part-a-b-1-3",
                row("-U", 2, 4, false, "0/300", 701),
                row("+U", 9, 5, false, "0/300", 701),
                row("-D", 1, 7, false, "0/400", 702));
        write(
                dir,
                "part-a-b-1-2",
                row("+I", 2, 3, true, S, 0),
                row("-U", 2, 3, false, "0/300", 701),
                row("+U", 2, 4, false, "0/300", 701));
        write(
                dir,
                "part-a-b-0-0",
                row("+I", 1, 7, true, S, 0),
                row("+I", 5, 0, false, "0/200", 700));
        write(dir, ".part-a-b-0-1.inprogress.x", row("+I", 1, 7, true, S, 0));

        AccountsChangelog changelog = AccountsChangelog.read(dir);
        AccountsChangelog.Replay replay = changelog.replay();

        assertThat(replay.problems()).isEmpty();
        assertThat(replay.state()).isEqualTo(Map.of(5, 0, 9, 5));
        assertThat(replay.counts())
                .isEqualTo(Map.of("snapshot", 2, "insert", 1, "update", 1, "move", 1, "delete", 1));
        assertThat(changelog.snapshotRows()).isEqualTo(2);
        assertThat(changelog.snapshotLsns()).containsExactly(S);
        assertThat(changelog.streamedTransactions()).isEqualTo(3);
        assertThat(changelog.hasStreamedInsert(5)).isTrue();
        assertThat(changelog.hasStreamedInsert(1)).isFalse();
    }

    @Test
    void aSnapshotRowTwiceIsCaught(@TempDir Path dir) throws IOException {
        write(dir, "part-a-0-0", row("+I", 1, 7, true, S, 0));
        write(dir, "part-a-1-0", row("+I", 1, 7, true, S, 0));

        assertThat(AccountsChangelog.read(dir).replay().problems())
                .singleElement()
                .asString()
                .contains("snapshot row of key 1 again")
                .contains("key 1 is taken");
    }

    @Test
    void aChangeOfAnOldVersionIsCaught(@TempDir Path dir) throws IOException {
        // A change the snapshot already holds, streamed again.
        write(
                dir,
                "part-a-0-0",
                row("+I", 1, 8, true, S, 0),
                row("-U", 1, 7, false, "0/200", 700),
                row("+U", 1, 8, false, "0/200", 700));

        assertThat(AccountsChangelog.read(dir).replay().problems())
                .singleElement()
                .asString()
                .contains("key 1 is at version 8");
    }

    @Test
    void aLostUpdateIsCaught(@TempDir Path dir) throws IOException {
        write(dir, "part-a-0-0", row("+I", 1, 7, true, S, 0), row("-D", 1, 8, false, "0/300", 701));

        assertThat(AccountsChangelog.read(dir).replay().problems())
                .singleElement()
                .asString()
                .contains("key 1 is at version 7");
    }

    @Test
    void anUpdateMustRaiseTheVersionByOne(@TempDir Path dir) throws IOException {
        write(
                dir,
                "part-a-0-0",
                row("+I", 1, 7, true, S, 0),
                row("-U", 1, 7, false, "0/200", 700),
                row("+U", 1, 9, false, "0/200", 700),
                row("-U", 1, 9, false, "0/300", 701));

        List<String> problems = AccountsChangelog.read(dir).replay().problems();

        assertThat(problems).hasSize(2);
        assertThat(problems.get(0)).contains("does not raise the version 7 by one");
        assertThat(problems.get(1)).contains("is a -U without its +U");
    }

    private static String row(
            String kind, int id, int version, boolean snapshot, String lsn, long xid) {
        String image =
                "{\"id\":"
                        + id
                        + ",\"version\":"
                        + version
                        + ",\"from_snapshot\":"
                        + snapshot
                        + ",\"row_kind\":\""
                        + kind
                        + "\",\"lsn\":\""
                        + lsn
                        + "\",\"xid\":"
                        + xid
                        + "}";
        boolean after = kind.equals("+I") || kind.equals("+U");
        return after
                ? "{\"before\":null,\"after\":" + image + ",\"op\":\"c\"}"
                : "{\"before\":" + image + ",\"after\":null,\"op\":\"d\"}";
    }

    private static void write(Path dir, String name, String... lines) throws IOException {
        Files.write(dir.resolve(name), List.of(lines));
    }
}
