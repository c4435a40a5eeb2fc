package io.pgwalstream.replication;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A server version as reported by {@code server_version_num} (e.g. {@code 170005} is 17.5), with
 * what this connector may ask of it.
 */
public record ServerVersion(int versionNum) {

    /** The oldest major version the connector supports (pgoutput binary/messages/streaming). */
    public static final int MIN_SUPPORTED_MAJOR = 14;

    public ServerVersion {
        if (versionNum < 100000) {
            throw new IllegalArgumentException(
                    "server_version_num "
                            + versionNum
                            + " is older than PostgreSQL 10; pg-walstream needs PostgreSQL "
                            + MIN_SUPPORTED_MAJOR
                            + " or newer");
        }
    }

    /** The version of the server {@code connection} (SQL or replication) is connected to. */
    public static ServerVersion of(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery("SHOW server_version_num")) {
            rs.next();
            return parse(rs.getString(1));
        }
    }

    public static ServerVersion parse(String serverVersionNum) {
        try {
            return new ServerVersion(Integer.parseInt(serverVersionNum.trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "Not a server_version_num: '" + serverVersionNum + "'", e);
        }
    }

    public int major() {
        return versionNum / 10000;
    }

    public int minor() {
        return versionNum % 10000;
    }

    /** The highest pgoutput {@code proto_version} the server accepts (14: 2, 15: 3, 16+: 4). */
    public int maxProtoVersion() {
        if (major() >= 16) {
            return 4;
        }
        return major() == 15 ? 3 : 2;
    }

    public boolean supports(ReplicationFeature feature) {
        return major() >= feature.sinceMajor();
    }

    /**
     * @throws UnsupportedServerFeatureException naming the feature, the version it needs and this
     *     server's version
     */
    public void require(ReplicationFeature feature) {
        if (!supports(feature)) {
            throw new UnsupportedServerFeatureException(feature, this);
        }
    }

    /** Fails unless this server is one the connector supports at all. */
    public ServerVersion requireSupported() {
        if (major() < MIN_SUPPORTED_MAJOR) {
            throw new IllegalArgumentException(
                    "PostgreSQL "
                            + this
                            + " is not supported: pg-walstream needs PostgreSQL "
                            + MIN_SUPPORTED_MAJOR
                            + " or newer");
        }
        return this;
    }

    @Override
    public String toString() {
        return major() + "." + minor();
    }
}
