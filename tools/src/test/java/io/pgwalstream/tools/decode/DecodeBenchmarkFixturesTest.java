package io.pgwalstream.tools.decode;

import io.pgwalstream.protocol.Insert;
import io.pgwalstream.protocol.PgOutputDecoder;
import io.pgwalstream.protocol.ProtocolDecodingException;
import io.pgwalstream.protocol.TupleBuilder;
import io.pgwalstream.protocol.TupleCursor;
import io.pgwalstream.protocol.TupleData;
import io.pgwalstream.tools.decode.BenchRowMessages.Format;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The benchmark decodes what it claims to: no timing here, only the fixtures and the walk. */
class DecodeBenchmarkFixturesTest {

    @ParameterizedTest
    @EnumSource(Format.class)
    void everyFixtureDecodesToTheIntendedRow(Format format) {
        DecodeBenchmark.verify(BenchRowMessages.of(format));
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void theBenchmarkMethodsRunOnTheFixtures(Format format) {
        DecodeBenchmark benchmark = new DecodeBenchmark();
        benchmark.format = format.name().toLowerCase();
        benchmark.setUp();
        org.openjdk.jmh.infra.Blackhole bh =
                new org.openjdk.jmh.infra.Blackhole(
                        "Today's password is swordfish. I understand instantiating Blackholes"
                                + " directly is dangerous.");
        assertThat(benchmark.insert(bh)).isInstanceOf(Insert.class);
        assertThat(benchmark.update(bh).tag()).isEqualTo((byte) 'U');
        assertThat(benchmark.delete(bh).tag()).isEqualTo((byte) 'D');
        assertThat(benchmark.frameInsert(bh)).isEqualTo(benchmark.insert(bh));
    }

    @Test
    void textValuesAreWhatPostgresPrints() {
        assertThat(BenchRowMessages.texts(BenchRowMessages.ROW))
                .containsExactly(
                        "1234567",
                        "34567",
                        "12345.67",
                        "customer-1234567",
                        "fc3ff98e8c6a0d3087d515c0473f8677",
                        "2024-05-17 12:34:56.789012+00",
                        "t");
    }

    @Test
    void binaryColumnsAreRejectedWithoutBinaryMode() {
        BenchRowMessages binary = BenchRowMessages.of(Format.BINARY);
        PgOutputDecoder textDecoder =
                new PgOutputDecoder(BenchRowMessages.of(Format.TEXT).options());
        assertThatThrownBy(() -> textDecoder.decode(binary.insert(), 0L))
                .isInstanceOf(ProtocolDecodingException.class);
    }

    @Test
    void theWalkVisitsEveryColumn() {
        TupleCursor cursor = new TupleCursor();
        TupleData tuple = TupleBuilder.texts("1", "x", "2");
        int all = DecodeBenchmark.walk(cursor, tuple);
        assertThat(cursor.next()).isFalse();
        assertThat(cursor.index()).isEqualTo(3);
        // Only the last column differs (NULL instead of a value): the result must differ.
        assertThat(DecodeBenchmark.walk(cursor, TupleBuilder.texts("1", "x", null)))
                .isNotEqualTo(all);
        assertThat(DecodeBenchmark.walk(cursor, TupleBuilder.texts("1", "x", "22")))
                .isNotEqualTo(all);
    }
}
