package io.portcullis.hardening;

import java.util.List;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;

/**
 * Seeded generators of hostile input. Every run prints its seed (and every assertion message
 * names it), so a failure is replayed exactly with {@code -Dportcullis.hostile.seed=<seed>}.
 */
final class HostileGenerator {
    static final String SEED_PROPERTY = "portcullis.hostile.seed";
    /** The seed of a run that names none: fixed, so that a build is reproducible; pass another to explore. */
    static final long DEFAULT_SEED = 20261201L;
    private static final String SYNTAX = "%=&+;:/\\\"'<>{}[]$.";

    private final long seed;
    private final RandomGenerator random;

    HostileGenerator(long seed) {
        this.seed = seed;
        this.random = RandomGeneratorFactory.of("L64X128MixRandom").create(seed);
    }

    static HostileGenerator fromSystemProperty() {
        String given = System.getProperty(SEED_PROPERTY);
        long seed = given != null && !given.isBlank() ? Long.parseLong(given.trim()) : DEFAULT_SEED;
        System.out.println("Hostile input seed " + seed + " (replay with -D" + SEED_PROPERTY + "=" + seed + ")");
        return new HostileGenerator(seed);
    }

    boolean nextBoolean() {
        return random.nextBoolean();
    }

    <T> T oneOf(List<T> choices) {
        return choices.get(random.nextInt(choices.size()));
    }

    /**
     * Any text up to {@code maxLength} UTF-16 units: ASCII, controls, the rest of the BMP, code points
     * beyond it and lone surrogates, weighted towards the cases parsers get wrong.
     */
    String text(int maxLength) {
        return text(0, maxLength);
    }

    /** {@link #text(int)} of at least {@code minLength} units. */
    String text(int minLength, int maxLength) {
        int length = minLength + random.nextInt(maxLength - minLength + 1);
        StringBuilder out = new StringBuilder(length);
        while (out.length() < length) {
            int kind = random.nextInt(10);
            switch (kind) {
                case 0 -> out.append((char) random.nextInt(0x20));                        // controls, NUL, CR, LF
                case 1 -> out.append((char) (0xD800 + random.nextInt(0x800)));           // a lone surrogate
                case 2 -> out.appendCodePoint(0x10000 + random.nextInt(0x100000));       // beyond the BMP
                case 3 -> out.append((char) (0x80 + random.nextInt(0xD800 - 0x80)));     // the rest of the BMP
                case 4 -> out.append(SYNTAX.charAt(random.nextInt(SYNTAX.length())));  // syntax of the formats we parse
                default -> out.append((char) (0x20 + random.nextInt(0x5F)));             // printable ASCII
            }
        }
        return out.length() > length ? out.substring(0, length) : out.toString();
    }

    /** Text of the given characters only, up to {@code maxLength}. */
    String chars(String alphabet, int maxLength) {
        int length = random.nextInt(maxLength + 1);
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return out.toString();
    }

    byte[] bytes(int maxLength) {
        byte[] out = new byte[random.nextInt(maxLength + 1)];
        random.nextBytes(out);
        return out;
    }

    @Override
    public String toString() {
        return "seed " + seed;
    }
}
