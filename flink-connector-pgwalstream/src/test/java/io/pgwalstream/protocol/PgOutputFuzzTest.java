package io.pgwalstream.protocol;

import io.pgwalstream.protocol.PgOutputArbitraries.Case;
import io.pgwalstream.protocol.PgOutputArbitraries.Mutation;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Property tests: valid messages always decode to themselves, and random or mutated bytes under
 * random options either decode or fail with {@link ProtocolDecodingException} (see {@link
 * DecodeOracle} for everything checked).
 *
 * <p>The normal build runs well over 100,000 decodes. {@code -Dpgwalstream.fuzz.tries=N} scales
 * every fuzzing property so that about N decodes run in total.
 */
class PgOutputFuzzTest {

    /** About how many decodes the properties below run with their default settings. */
    private static final long DEFAULT_DECODES = 130_000;

    private static final long TARGET = Long.getLong("pgwalstream.fuzz.tries", DEFAULT_DECODES);

    /**
     * jqwik's per-try overhead dwarfs one decode, so each try also runs rounds of extra inputs
     * drawn from its own seeded Random; raising the target multiplies these rounds.
     */
    private static final int SCALE =
            (int) Math.max(1, (TARGET + DEFAULT_DECODES - 1) / DEFAULT_DECODES);

    @Provide
    Arbitrary<Case> cases() {
        return PgOutputArbitraries.cases();
    }

    @Provide
    Arbitrary<List<Mutation>> mutations() {
        return PgOutputArbitraries.mutations();
    }

    @Provide
    Arbitrary<PgOutputOptions> options() {
        return PgOutputArbitraries.options();
    }

    @Provide
    Arbitrary<byte[]> randomBytes() {
        return PgOutputArbitraries.randomMessageBytes();
    }

    @Provide
    Arbitrary<byte[]> randomFrames() {
        Arbitrary<byte[]> any = Arbitraries.bytes().array(byte[].class).ofMaxSize(40);
        return Arbitraries.frequencyOf(
                Tuple.of(1, any),
                Tuple.of(
                        4,
                        Arbitraries.of((byte) 'w', (byte) 'k')
                                .flatMap(
                                        tag ->
                                                any.map(
                                                        b -> {
                                                            if (b.length > 0) {
                                                                b[0] = tag;
                                                            }
                                                            return b;
                                                        }))));
    }

    @Property(tries = 4_000, edgeCases = EdgeCasesMode.NONE)
    void validMessagesAlwaysDecodeToThemselves(@ForAll("cases") Case c) {
        byte[] bytes = PgOutputEncoder.encode(c.message());

        PgOutputMessage decoded = DecodeOracle.check(c.newDecoder(), bytes);

        assertThat(decoded).isEqualTo(c.message());
    }

    @Property(tries = 2_500, edgeCases = EdgeCasesMode.NONE)
    void mutatedMessagesDecodeOrFailTyped(
            @ForAll("cases") Case c,
            @ForAll("mutations") List<Mutation> mutations,
            @ForAll("options") PgOutputOptions otherOptions,
            @ForAll boolean otherInStream,
            @ForAll Random random) {
        byte[] valid = PgOutputEncoder.encode(c.message());
        byte[] bytes = mutateAndCheck(c, valid, mutations);
        PgOutputDecoder other = new PgOutputDecoder(otherOptions);
        if (otherInStream && otherOptions.streamingEnabled()) {
            other.decode(PgOutputEncoder.encode(new StreamStart(1, true)), 0L);
        }
        DecodeOracle.check(other, bytes);

        for (int round = 0; round < 10 * SCALE; round++) {
            mutateAndCheck(c, valid, randomMutations(random));
        }
    }

    @Property(tries = 2_500)
    void randomBytesDecodeOrFailTyped(
            @ForAll("randomBytes") byte[] bytes,
            @ForAll("options") PgOutputOptions options,
            @ForAll boolean inStream,
            @ForAll Random random) {
        PgOutputDecoder decoder = new PgOutputDecoder(options);
        if (inStream && options.streamingEnabled()) {
            decoder.decode(PgOutputEncoder.encode(new StreamStart(42, true)), 0L);
        }
        DecodeOracle.check(decoder, bytes);

        for (int round = 0; round < 18 * SCALE; round++) {
            byte[] more = new byte[random.nextInt(49)];
            random.nextBytes(more);
            DecodeOracle.check(decoder, more);
        }
    }

    @Property(tries = 2_500)
    void randomFramesDecodeOrFailTyped(
            @ForAll("randomFrames") byte[] bytes, @ForAll Random random) {
        DecodeOracle.checkFrame(bytes);

        for (int round = 0; round < 7 * SCALE; round++) {
            byte[] more = new byte[random.nextInt(41)];
            random.nextBytes(more);
            if (more.length > 0) {
                more[0] = random.nextBoolean() ? (byte) 'w' : (byte) 'k';
            }
            DecodeOracle.checkFrame(more);
        }
    }

    /** Applies the mutations one after another, checking a fresh decoder after each. */
    private static byte[] mutateAndCheck(Case c, byte[] valid, List<Mutation> mutations) {
        byte[] bytes = valid;
        for (Mutation mutation : mutations) {
            bytes = mutation.applyTo(bytes);
            DecodeOracle.check(c.newDecoder(), bytes);
        }
        return bytes;
    }

    private static List<Mutation> randomMutations(Random random) {
        Mutation.Kind[] kinds = Mutation.Kind.values();
        int count = 1 + random.nextInt(3);
        Mutation[] out = new Mutation[count];
        for (int i = 0; i < count; i++) {
            out[i] =
                    new Mutation(
                            kinds[random.nextInt(kinds.length)],
                            random.nextDouble(),
                            random.nextBoolean() ? random.nextInt() : random.nextInt(256));
        }
        return List.of(out);
    }

    @AfterContainer
    static void reportCases() {
        System.out.println(
                "PgOutputFuzzTest: "
                        + DecodeOracle.PGOUTPUT_DECODES.get()
                        + " pgoutput decodes and "
                        + DecodeOracle.FRAME_DECODES.get()
                        + " frame decodes checked (pgwalstream.fuzz.tries="
                        + TARGET
                        + ")");
    }
}
