package io.pgwalstream.replication;

/** A replication feature was asked of a server whose version does not have it. */
public final class UnsupportedServerFeatureException extends IllegalArgumentException {

    private final ReplicationFeature feature;
    private final ServerVersion serverVersion;

    public UnsupportedServerFeatureException(ReplicationFeature feature, ServerVersion server) {
        super(
                feature.description()
                        + " needs PostgreSQL "
                        + feature.sinceMajor()
                        + " or newer, but the server is PostgreSQL "
                        + server
                        + ". Turn the feature off or upgrade the server.");
        this.feature = feature;
        this.serverVersion = server;
    }

    public ReplicationFeature feature() {
        return feature;
    }

    public ServerVersion serverVersion() {
        return serverVersion;
    }
}
