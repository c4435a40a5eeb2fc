package io.pgwalstream.replication;

import io.pgwalstream.protocol.Commit;
import io.pgwalstream.protocol.Insert;
import io.pgwalstream.protocol.Lsn;
import io.pgwalstream.protocol.PgOutputDecoder;
import io.pgwalstream.protocol.PgOutputMessage;
import io.pgwalstream.protocol.PgOutputOptions;
import io.pgwalstream.protocol.PrimaryKeepalive;
import io.pgwalstream.protocol.ReplicationFrame;
import io.pgwalstream.protocol.ReplicationFrameDecoder;
import io.pgwalstream.protocol.XLogData;

import java.util.ArrayList;
import java.util.List;

/** Test consumer: decodes what a session hands over and keeps it for assertions. */
final class DecodingSink implements MessageSink {

    private final PgOutputDecoder decoder;
    final List<PgOutputMessage> messages = new ArrayList<>();
    final List<PrimaryKeepalive> keepalives = new ArrayList<>();
    final List<Lsn> sessionStarts = new ArrayList<>();

    DecodingSink(PgOutputOptions options) {
        this.decoder = new PgOutputDecoder(options);
    }

    @Override
    public void onSessionStart(SessionStart start) {
        decoder.reset();
        sessionStarts.add(start.startLsn());
    }

    @Override
    public void onMessage(byte[] copyData) {
        ReplicationFrame frame = ReplicationFrameDecoder.decode(copyData);
        if (frame instanceof XLogData data) {
            messages.add(decoder.decode(data));
        } else {
            keepalives.add((PrimaryKeepalive) frame);
        }
    }

    List<String> insertedValues(int column) {
        List<String> values = new ArrayList<>();
        for (PgOutputMessage m : messages) {
            if (m instanceof Insert insert) {
                values.add(insert.newTuple().valueAsString(column));
            }
        }
        return values;
    }

    List<Commit> commits() {
        List<Commit> commits = new ArrayList<>();
        for (PgOutputMessage m : messages) {
            if (m instanceof Commit commit) {
                commits.add(commit);
            }
        }
        return commits;
    }
}
