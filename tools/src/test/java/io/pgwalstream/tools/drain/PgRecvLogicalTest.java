package io.pgwalstream.tools.drain;

import io.pgwalstream.replication.PgConnectionConfig;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PgRecvLogicalTest {

    @Test
    void conninfoQuotesValuesAsLibpqWants() {
        PgConnectionConfig config =
                PgConnectionConfig.of("127.0.0.1", 5433, "it's a db", "back\\slash");
        assertThat(PgRecvLogical.conninfo(config))
                .isEqualTo(
                        "host='127.0.0.1' port=5433 dbname='it\\'s a db' user='back\\\\slash'"
                                + " application_name=pg_recvlogical");
    }

    @Test
    void theInstallHintSaysHowToInstallIt() {
        assertThat(PgRecvLogical.INSTALL_HINT)
                .contains("apt-get install -y postgresql-client")
                .contains("--pg-recvlogical");
    }

    @Test
    void anExplicitBinaryMustBeExecutable(@TempDir Path dir) throws Exception {
        Path notExecutable = Files.createFile(dir.resolve("pg_recvlogical"));
        assertThatThrownBy(() -> PgRecvLogical.locate(notExecutable))
                .hasMessageContaining("not an executable file");
        assertThatThrownBy(() -> PgRecvLogical.locate(dir.resolve("missing")))
                .hasMessageContaining("not an executable file");
    }
}
