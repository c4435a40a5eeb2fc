package io.pgwalstream.protocol;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LsnTest {

    @Test
    void parsesAndFormats() {
        Lsn lsn = Lsn.parse("16/B374D848");

        assertThat(lsn.value()).isEqualTo(0x16_B374_D848L);
        assertThat(lsn).hasToString("16/B374D848");
    }

    @Test
    void parsingIsPermissive() {
        assertThat(Lsn.parse("16/b374d848")).isEqualTo(Lsn.parse("16/B374D848"));
        assertThat(Lsn.parse("0/0001A2B0")).isEqualTo(Lsn.of(0x1A2B0L));
        assertThat(Lsn.parse("00000001/00000000").value()).isEqualTo(1L << 32);
        assertThat(Lsn.parse("0/0")).isSameAs(Lsn.INVALID);
    }

    @Test
    void formatsWithoutPaddingInUpperCase() {
        assertThat(Lsn.of(0x1A2B0L)).hasToString("0/1A2B0");
        assertThat(Lsn.of(0xABCD_0000_0000L)).hasToString("ABCD/0");
        assertThat(Lsn.of(-1L)).hasToString("FFFFFFFF/FFFFFFFF");
        assertThat(Lsn.INVALID).hasToString("0/0");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "/",
                "1/",
                "/1",
                "1",
                "1/2/3",
                "G/1",
                "1/-1",
                "-1/1",
                "+1/1",
                " 1/1",
                "1/1 ",
                "123456789/0",
                "0/123456789",
                "0x1/1"
            })
    void rejectsMalformedText(String text) {
        assertThatThrownBy(() -> Lsn.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + text + "'");
    }

    @Test
    void comparesUnsigned() {
        Lsn max = Lsn.parse("FFFFFFFF/FFFFFFFF");
        Lsn one = Lsn.parse("0/1");

        assertThat(max).isGreaterThan(one);
        assertThat(max.isAfter(one)).isTrue();
        assertThat(one.isBefore(max)).isTrue();
        assertThat(Lsn.parse("80000000/0")).isGreaterThan(Lsn.parse("7FFFFFFF/FFFFFFFF"));
        assertThat(Lsn.max(one, max)).isSameAs(max);
        assertThat(Lsn.min(one, max)).isSameAs(one);
        assertThat(Lsn.max(one, Lsn.of(1))).isEqualTo(one);
        assertThat(one.compareTo(Lsn.of(1))).isZero();
    }

    @Test
    void plusMovesAndChecksTheUnsignedRange() {
        assertThat(Lsn.parse("0/FFFFFFFF").plus(1)).isEqualTo(Lsn.parse("1/0"));
        assertThat(Lsn.parse("1/0").plus(-1)).isEqualTo(Lsn.parse("0/FFFFFFFF"));
        assertThat(Lsn.parse("7FFFFFFF/FFFFFFFF").plus(1)).isEqualTo(Lsn.parse("80000000/0"));
        assertThat(Lsn.of(5).plus(0)).isEqualTo(Lsn.of(5));
        assertThatThrownBy(() -> Lsn.of(-1L).plus(1)).isInstanceOf(ArithmeticException.class);
        assertThatThrownBy(() -> Lsn.of(0L).plus(-1)).isInstanceOf(ArithmeticException.class);
    }

    @Test
    void validity() {
        assertThat(Lsn.INVALID.isValid()).isFalse();
        assertThat(Lsn.of(0)).isSameAs(Lsn.INVALID);
        assertThat(Lsn.of(1).isValid()).isTrue();
        assertThat(Lsn.of(-1L).isValid()).isTrue();
    }

    @Test
    void formatAndParseAreInverse() {
        long[] values = {0L, 1L, -1L, Long.MIN_VALUE, Long.MAX_VALUE, 0x16_B374_D848L, 1L << 32};
        for (long value : values) {
            assertThat(Lsn.parse(Lsn.format(value)).value()).isEqualTo(value);
        }
    }
}
