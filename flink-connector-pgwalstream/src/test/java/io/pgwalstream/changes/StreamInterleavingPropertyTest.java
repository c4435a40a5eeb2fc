package io.pgwalstream.changes;

import io.pgwalstream.protocol.PgOutputMessage;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.statistics.Statistics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.pgwalstream.changes.Messages.ITEMS;
import static io.pgwalstream.changes.Messages.NO_XID;
import static io.pgwalstream.changes.Messages.OPTIONS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Random interleavings of concurrent transactions with savepoints, as PostgreSQL would stream them,
 * against a reference model that knows which subtransactions aborted.
 *
 * <p>The {@link Server} plays several backends (each a top-level transaction with a savepoint
 * stack: write, SAVEPOINT, RELEASE, ROLLBACK TO, COMMIT, ROLLBACK) and a walsender that streams a
 * transaction's pending changes in a block whenever told to, sends Stream Abort for every aborted
 * subtransaction that had something streamed (in random order, plus some for subtransactions that
 * had not), and commits streamed transactions with Stream Commit and the others as Begin…Commit.
 * The model's answer for each commit is simply every change whose subtransaction, or one of its
 * ancestors, was not rolled back — it knows nothing about offsets or truncation.
 */
class StreamInterleavingPropertyTest {

    @Property(tries = 300)
    void theAssemblerEmitsExactlyTheCommittedChangesInCommitOrder(
            @ForAll("actions") List<Integer> actions, @ForAll boolean tinyMemory)
            throws IOException {
        Path spill = Files.createTempDirectory("pgwalstream-property");
        try {
            Coverage coverage =
                    assertTimeoutPreemptively(
                            Duration.ofSeconds(30), () -> check(actions, tinyMemory, spill));
            Statistics.label("streamed commits").collect(bucket(coverage.streamedCommits()));
            Statistics.label("subtransaction aborts")
                    .collect(bucket(coverage.subtransactionAborts()));
            Statistics.label("spilled").collect(coverage.spilled());
            try (Stream<Path> left = Files.list(spill)) {
                assertThat(left).as("spill files after close").isEmpty();
            }
        } finally {
            Files.deleteIfExists(spill);
        }
    }

    @Provide
    Arbitrary<List<Integer>> actions() {
        return Arbitraries.integers()
                .between(0, 9999)
                .withDistribution(RandomDistribution.uniform())
                .list()
                .ofMinSize(80)
                .ofMaxSize(300);
    }

    /** What a try exercised, for jqwik's statistics. */
    record Coverage(int streamedCommits, int subtransactionAborts, boolean spilled) {}

    private static String bucket(int n) {
        return n > 2 ? "3+" : Integer.toString(n);
    }

    private static Coverage check(List<Integer> actions, boolean tinyMemory, Path spill) {
        Server server = new Server();
        for (int action : actions) {
            server.act(action);
        }
        AssemblerHarness h =
                new AssemblerHarness(
                        OPTIONS, new AssemblerSettings(tinyMemory ? 200 : 64L << 20, spill));
        try {
            server.sent.forEach(h::send);

            List<Committed> actual = new ArrayList<>();
            List<String> values = new ArrayList<>();
            long expectedIndex = 1;
            ChangePosition previous = null;
            for (AssembledRecord r : h.records) {
                if (r instanceof ChangeEvent) {
                    ChangeEvent e = (ChangeEvent) r;
                    values.add(AssemblerHarness.describe(e));
                    if (e.position().isNonTransactional()) {
                        expectedIndex = 0;
                    }
                    assertThat(e.position().index()).isEqualTo(expectedIndex);
                    expectedIndex++;
                    if (previous != null) {
                        assertThat(e.position()).isGreaterThan(previous);
                    }
                    previous = e.position();
                } else {
                    TransactionCommitted c = (TransactionCommitted) r;
                    actual.add(new Committed(c.transaction().commitLsn(), List.copyOf(values)));
                    assertThat(c.eventCount()).isEqualTo(values.size());
                    values.clear();
                    expectedIndex = 1;
                }
            }
            assertThat(values).as("events after the last commit").isEmpty();
            assertThat(actual).isEqualTo(server.expected);
            assertThat(h.assembler.metrics().bufferedTransactions())
                    .isEqualTo((int) server.backends.stream().filter(b -> b.everStreamed).count());
            if (tinyMemory && h.assembler.metrics().bufferedTransactions() > 0) {
                assertThat(h.assembler.metrics().spillFilesCreated()).isPositive();
            }
            return new Coverage(
                    server.streamedCommits,
                    server.subAborts,
                    h.assembler.metrics().spilledBytes() > 0);
        } finally {
            h.close();
        }
    }

    record Committed(long commitLsn, List<String> values) {}

    /** A subtransaction (or the top level) of a backend. */
    static final class Frame {
        int xid;

        /** Subtransactions released into this one: they abort with it. */
        final List<Frame> released = new ArrayList<>();

        void collect(Set<Frame> into) {
            into.add(this);
            for (Frame child : released) {
                child.collect(into);
            }
        }
    }

    record Change(Frame frame, String value) {}

    /** One backend running one top-level transaction. */
    static final class Backend {
        final Frame top = new Frame();
        final List<Frame> stack = new ArrayList<>();
        final List<Change> all = new ArrayList<>();
        final List<Change> pending = new ArrayList<>();
        final Set<Frame> aborted = new HashSet<>();
        final Set<Integer> streamedXids = new HashSet<>();
        boolean everStreamed;
        boolean relationSentInStream;

        Backend(int xid) {
            top.xid = xid;
            stack.add(top);
        }
    }

    /** Plays PostgreSQL: backends doing work and a walsender sending pgoutput. */
    static final class Server {
        final List<PgOutputMessage> sent = new ArrayList<>();
        final List<Committed> expected = new ArrayList<>();
        final List<Backend> backends = new ArrayList<>();
        private int nextXid = 1000;
        private long lsn = 0x10_0000L;
        private int nextValue;
        int streamedCommits;
        int subAborts;

        Server() {
            // The session knows the table from an earlier ordinary transaction.
            long commit = nextLsn();
            sent.add(Messages.begin(commit, nextXid++));
            sent.add(Messages.relation(NO_XID, ITEMS, "items", "id", "v"));
            sent.add(Messages.insert(NO_XID, ITEMS, "0", "setup"));
            sent.add(Messages.commit(commit, commit + 0x20));
            expected.add(new Committed(commit, List.of("I:setup")));
        }

        private long nextLsn() {
            lsn += 0x100;
            return lsn;
        }

        /**
         * One step, chosen by {@code action % 100} with weights that make streaming, savepoints and
         * their rollbacks common; {@code action / 100} picks the backend and the details.
         */
        void act(int action) {
            int kind = action % 100;
            int arg = action / 100;
            if (backends.isEmpty() || (kind >= 89 && backends.size() < 3)) {
                backends.add(new Backend(nextXid++));
            }
            Backend b = backends.get(arg % backends.size());
            if (kind < 40) {
                write(b);
            } else if (kind < 50) {
                b.stack.add(new Frame());
            } else if (kind < 55) {
                if (b.stack.size() > 1) {
                    Frame child = b.stack.remove(b.stack.size() - 1);
                    b.stack.get(b.stack.size() - 1).released.add(child);
                }
            } else if (kind < 63) {
                if (b.stack.size() > 1) {
                    rollbackTo(b, 1 + (arg / 3) % (b.stack.size() - 1), arg);
                }
            } else if (kind < 78) {
                stream(b);
            } else if (kind < 84) {
                commit(b);
            } else if (kind < 86) {
                rollback(b);
            } else if (kind < 89) {
                long at = nextLsn();
                sent.add(Messages.message(NO_XID, false, at, "n" + nextValue));
                expected.add(new Committed(at, List.of("M:n" + nextValue++)));
            }
        }

        private void write(Backend b) {
            Frame frame = b.stack.get(b.stack.size() - 1);
            if (frame.xid == 0) {
                frame.xid = nextXid++;
            }
            Change change = new Change(frame, "v" + nextValue++);
            b.all.add(change);
            b.pending.add(change);
        }

        /** ROLLBACK TO the savepoint at stack depth {@code depth}: it and everything inside end. */
        private void rollbackTo(Backend b, int depth, int arg) {
            Set<Frame> ending = new HashSet<>();
            for (Frame f : b.stack.subList(depth, b.stack.size())) {
                f.collect(ending);
            }
            b.aborted.addAll(ending);
            b.pending.removeIf(c -> ending.contains(c.frame()));
            b.stack.subList(depth, b.stack.size()).clear();
            b.stack.add(new Frame()); // the savepoint lives on as a new subtransaction
            if (b.everStreamed) {
                List<Frame> order = new ArrayList<>(ending);
                order.sort(Comparator.comparingInt(f -> f.xid));
                if (arg % 2 == 0) {
                    Collections.reverse(order);
                }
                for (Frame f : order) {
                    boolean streamedSomething = b.streamedXids.contains(f.xid);
                    if (f.xid != 0 && (streamedSomething || arg % 5 == 0)) {
                        sent.add(Messages.abort(b.top.xid, f.xid));
                        subAborts++;
                    }
                }
                // pgoutput forgets it sent the schema in this transaction after any abort.
                b.relationSentInStream = false;
            }
        }

        private void stream(Backend b) {
            if (b.pending.isEmpty()) {
                return;
            }
            sent.add(Messages.start(b.top.xid, !b.everStreamed));
            b.everStreamed = true;
            for (Change c : b.pending) {
                if (!b.relationSentInStream) {
                    sent.add(Messages.relation(c.frame().xid, ITEMS, "items", "id", "v"));
                    b.relationSentInStream = true;
                }
                sent.add(Messages.insert(c.frame().xid, ITEMS, c.value(), c.value()));
                b.streamedXids.add(c.frame().xid);
            }
            b.pending.clear();
            sent.add(Messages.stop());
        }

        private void commit(Backend b) {
            if (b.everStreamed) {
                stream(b);
            }
            long commit = nextLsn();
            if (b.everStreamed) {
                sent.add(Messages.streamCommit(b.top.xid, commit, commit + 0x20));
                streamedCommits++;
            } else {
                sent.add(Messages.begin(commit, b.top.xid));
                for (Change c : b.pending) {
                    sent.add(Messages.insert(NO_XID, ITEMS, c.value(), c.value()));
                }
                sent.add(Messages.commit(commit, commit + 0x20));
            }
            expected.add(
                    new Committed(
                            commit,
                            b.all.stream()
                                    .filter(c -> !b.aborted.contains(c.frame()))
                                    .map(c -> "I:" + c.value())
                                    .collect(Collectors.toList())));
            backends.remove(b);
        }

        private void rollback(Backend b) {
            if (b.everStreamed) {
                sent.add(Messages.abort(b.top.xid, b.top.xid));
            }
            backends.remove(b);
        }
    }
}
