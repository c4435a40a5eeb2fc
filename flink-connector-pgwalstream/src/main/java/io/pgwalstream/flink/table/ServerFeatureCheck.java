package io.pgwalstream.flink.table;

import io.pgwalstream.protocol.PgOutputOptions;
import io.pgwalstream.protocol.StreamingMode;
import io.pgwalstream.replication.ReplicationFeature;
import io.pgwalstream.replication.ServerVersion;
import io.pgwalstream.replication.UnsupportedServerFeatureException;

import org.apache.flink.annotation.Internal;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.table.api.ValidationException;

/**
 * Checks the {@code decoding.*} options against the server's major version when the query is
 * planned: a feature the server does not have would otherwise fail the job only once the enumerator
 * prepares its slots (which checks the same again, for the DataStream API and for a server
 * downgraded in between). Each message names the option and the value that works.
 */
@Internal
final class ServerFeatureCheck {

    private ServerFeatureCheck() {}

    static void check(PgWalStreamTableConfig config, ServerVersion server) {
        try {
            server.requireSupported();
        } catch (IllegalArgumentException e) {
            throw new ValidationException(e.getMessage() + ".");
        }
        if (config.twoPhase()) {
            require(
                    server,
                    ReplicationFeature.TWO_PHASE,
                    PgWalStreamOptions.DECODING_TWO_PHASE,
                    "'true'",
                    "set it to 'false' (prepared transactions then arrive at COMMIT PREPARED)");
        }
        if (config.slotFailover()) {
            require(
                    server,
                    ReplicationFeature.FAILOVER_SLOTS,
                    PgWalStreamOptions.SLOT_FAILOVER,
                    "'true'",
                    "set it to 'false'");
        }
        if (config.streaming() == StreamingMode.PARALLEL) {
            require(
                    server,
                    ReplicationFeature.PARALLEL_STREAMING,
                    PgWalStreamOptions.DECODING_STREAMING,
                    "'parallel'",
                    "set it to 'on'");
        }
        if (config.origin() != null) {
            require(
                    server,
                    ReplicationFeature.ORIGIN_FILTER,
                    PgWalStreamOptions.DECODING_ORIGIN,
                    "'" + config.origin() + "'",
                    "remove it");
        }
        checkProtocolVersion(config, server);
    }

    private static void checkProtocolVersion(PgWalStreamTableConfig config, ServerVersion server) {
        int asked = config.protocolVersion();
        if (asked == 0) {
            // The server's highest, which carries every feature the server has.
            return;
        }
        ConfigOption<Integer> option = PgWalStreamOptions.DECODING_PROTOCOL_VERSION;
        if (asked > server.maxProtoVersion()) {
            throw PgWalStreamTableConfig.invalid(
                    option,
                    "= '"
                            + asked
                            + "' is more than PostgreSQL "
                            + server
                            + " speaks (pgoutput version "
                            + server.maxProtoVersion()
                            + " at most). Set it to "
                            + server.maxProtoVersion()
                            + " or lower, or to 0 for the server's highest.");
        }
        if (config.twoPhase() && asked < PgOutputOptions.TWO_PHASE_MIN_PROTO_VERSION) {
            throw PgWalStreamTableConfig.invalid(
                    option,
                    "= '"
                            + asked
                            + "' has no two-phase messages, which '"
                            + PgWalStreamOptions.DECODING_TWO_PHASE.key()
                            + "' = 'true' needs. Set it to "
                            + PgOutputOptions.TWO_PHASE_MIN_PROTO_VERSION
                            + " or higher, or to 0.");
        }
        int streamingNeeds = config.streaming().minProtoVersion();
        if (asked < streamingNeeds) {
            throw PgWalStreamTableConfig.invalid(
                    option,
                    "= '"
                            + asked
                            + "' cannot stream in-progress transactions as '"
                            + PgWalStreamOptions.DECODING_STREAMING.key()
                            + "' = '"
                            + config.streaming().optionValue()
                            + "' asks. Set it to "
                            + streamingNeeds
                            + " or higher, or to 0.");
        }
    }

    private static void require(
            ServerVersion server,
            ReplicationFeature feature,
            ConfigOption<?> option,
            String value,
            String fix) {
        try {
            server.require(feature);
        } catch (UnsupportedServerFeatureException e) {
            throw PgWalStreamTableConfig.invalid(
                    option,
                    "= "
                            + value
                            + " asks for "
                            + feature.description()
                            + ", which needs PostgreSQL "
                            + feature.sinceMajor()
                            + " or newer, but the server is PostgreSQL "
                            + server
                            + ". Either "
                            + fix
                            + ", or upgrade the server to PostgreSQL "
                            + feature.sinceMajor()
                            + " or newer.");
        }
    }
}
