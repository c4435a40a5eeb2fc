package io.pgwalstream.replication;

import io.pgwalstream.protocol.Lsn;
import io.pgwalstream.protocol.PgOutputOptions;
import io.pgwalstream.protocol.StreamingMode;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Builds {@code START_REPLICATION} for logical and physical streaming, checked against the server.
 */
final class StartReplicationCommand {

    private StartReplicationCommand() {}

    /**
     * @throws UnsupportedServerFeatureException when an option needs a newer server, or the
     *     requested protocol version is above the server's
     */
    public static String logical(LogicalStreamSpec spec, Lsn start, ServerVersion server) {
        PgOutputOptions o = spec.pgOutput();
        if (o.protoVersion() > server.maxProtoVersion()) {
            throw new IllegalArgumentException(
                    "pgoutput protocol version "
                            + o.protoVersion()
                            + " is above the highest PostgreSQL "
                            + server
                            + " speaks ("
                            + server.maxProtoVersion()
                            + ")");
        }
        List<String> options = new ArrayList<>();
        options.add(option("proto_version", Integer.toString(o.protoVersion())));
        // publication_names is parsed by the server as a list of identifiers: quote each one.
        options.add(
                option(
                        "publication_names",
                        spec.publications().stream()
                                .map(ReplicationSyntax::identifier)
                                .collect(Collectors.joining(","))));
        if (o.binary()) {
            server.require(ReplicationFeature.BINARY);
            options.add(option("binary", "true"));
        }
        if (o.messages()) {
            server.require(ReplicationFeature.MESSAGES);
            options.add(option("messages", "true"));
        }
        if (o.streaming() == StreamingMode.PARALLEL) {
            server.require(ReplicationFeature.PARALLEL_STREAMING);
            options.add(option("streaming", "parallel"));
        } else if (o.streaming() == StreamingMode.ON) {
            server.require(ReplicationFeature.STREAMING);
            options.add(option("streaming", "on"));
        }
        if (o.twoPhase()) {
            server.require(ReplicationFeature.TWO_PHASE);
            options.add(option("two_phase", "true"));
        }
        if (spec.origin() != null) {
            server.require(ReplicationFeature.ORIGIN_FILTER);
            options.add(option("origin", spec.origin()));
        }
        return "START_REPLICATION SLOT "
                + ReplicationSyntax.identifier(spec.slotName())
                + " LOGICAL "
                + start
                + " ("
                + String.join(", ", options)
                + ")";
    }

    /** Physical streaming from {@code start}, through a slot when {@code slotName} is not null. */
    public static String physical(String slotName, Lsn start, long timeline) {
        StringBuilder sql = new StringBuilder("START_REPLICATION");
        if (slotName != null) {
            sql.append(" SLOT ").append(ReplicationSyntax.identifier(SlotName.validate(slotName)));
        }
        sql.append(" PHYSICAL ").append(start);
        if (timeline > 0) {
            sql.append(" TIMELINE ").append(timeline);
        }
        return sql.toString();
    }

    private static String option(String name, String value) {
        return ReplicationSyntax.identifier(name) + " " + ReplicationSyntax.literal(value);
    }
}
