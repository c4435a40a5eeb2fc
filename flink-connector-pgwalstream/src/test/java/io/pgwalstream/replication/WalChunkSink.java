package io.pgwalstream.replication;

import io.pgwalstream.protocol.Lsn;
import io.pgwalstream.protocol.ReplicationFrameDecoder;
import io.pgwalstream.protocol.XLogData;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** Test consumer of a physical session: keeps the session starts and the WAL chunks in order. */
final class WalChunkSink implements MessageSink {

    /**
     * One XLogData: WAL of {@code timeline} from {@code start}, received in session {@code
     * session}.
     */
    record Chunk(int session, long timeline, Lsn start, byte[] data) {
        Lsn end() {
            return start.plus(data.length);
        }
    }

    final List<SessionStart> sessionStarts = new ArrayList<>();
    final List<Chunk> chunks = new ArrayList<>();
    int keepalives;

    @Override
    public void onSessionStart(SessionStart start) {
        sessionStarts.add(start);
    }

    @Override
    public void onMessage(byte[] copyData) {
        if (ReplicationFrameDecoder.decode(copyData) instanceof XLogData data) {
            SessionStart current = sessionStarts.get(sessionStarts.size() - 1);
            chunks.add(
                    new Chunk(
                            current.sessionNumber(),
                            current.timeline(),
                            Lsn.of(data.dataStart()),
                            data.payloadCopy()));
        } else {
            keepalives++;
        }
    }

    /** The end of the last chunk received, 0/0 if none. */
    Lsn dataEnd() {
        return chunks.isEmpty() ? Lsn.INVALID : chunks.get(chunks.size() - 1).end();
    }

    /** The end of the last chunk of {@code timeline}, 0/0 if none. */
    Lsn dataEnd(long timeline) {
        Lsn end = Lsn.INVALID;
        for (Chunk c : chunks) {
            if (c.timeline() == timeline) {
                end = c.end();
            }
        }
        return end;
    }

    List<Chunk> chunksOf(int session) {
        return chunks.stream().filter(c -> c.session() == session).collect(Collectors.toList());
    }

    /**
     * The WAL {@code [from, to)} of {@code timeline} as received in the sessions from {@code
     * firstSession} on, after asserting that each of those sessions started where the previous one
     * ended and that its chunks are contiguous.
     */
    byte[] bytesAcrossSessions(int firstSession, long timeline, Lsn from, Lsn to) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Lsn first = null;
        Lsn expected = null;
        for (SessionStart start : sessionStarts) {
            if (start.sessionNumber() < firstSession || start.timeline() != timeline) {
                continue;
            }
            if (expected != null) {
                assertThat(start.startLsn())
                        .as("session %s continues the previous one", start.sessionNumber())
                        .isEqualTo(expected);
            } else {
                first = start.startLsn();
                expected = first;
            }
            for (Chunk c : chunksOf(start.sessionNumber())) {
                assertThat(c.start()).as("chunk of session %s", c.session()).isEqualTo(expected);
                out.writeBytes(c.data());
                expected = c.end();
            }
        }
        assertThat(first).as("sessions on timeline %s", timeline).isNotNull();
        assertThat(from).isGreaterThanOrEqualTo(first);
        assertThat(to).isLessThanOrEqualTo(expected);
        byte[] all = out.toByteArray();
        byte[] range = new byte[(int) (to.value() - from.value())];
        System.arraycopy(all, (int) (from.value() - first.value()), range, 0, range.length);
        return range;
    }

    /**
     * The WAL {@code [from, to)} as received in {@code session}, after asserting that the session's
     * chunks are contiguous: each starts where the previous one ended.
     */
    byte[] bytes(int session, Lsn from, Lsn to) {
        List<Chunk> mine = chunksOf(session);
        assertThat(mine).as("chunks of session %s", session).isNotEmpty();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Lsn first = mine.get(0).start();
        Lsn expected = first;
        for (Chunk c : mine) {
            assertThat(c.start())
                    .as("chunk after %s of session %s", expected, session)
                    .isEqualTo(expected);
            out.writeBytes(c.data());
            expected = c.end();
        }
        assertThat(from)
                .as("requested range starts within session %s", session)
                .isGreaterThanOrEqualTo(first);
        assertThat(to)
                .as("requested range ends within session %s", session)
                .isLessThanOrEqualTo(expected);
        byte[] all = out.toByteArray();
        int offset = (int) (from.value() - first.value());
        int length = (int) (to.value() - from.value());
        byte[] range = new byte[length];
        System.arraycopy(all, offset, range, 0, length);
        return range;
    }
}
