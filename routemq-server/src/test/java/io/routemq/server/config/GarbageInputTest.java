package io.routemq.server.config;

import io.routemq.config.ConfigError;
import io.routemq.config.ConfigException;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Truncated, mutated and random input never escapes as anything but a {@link ConfigException} whose every error has a
 * line and column. Seeded, so a failure reproduces; the seed and the input are in the failure message.
 */
class GarbageInputTest {

    private static final String SPECIALS = ":{}[]-#&*!|>'\"%@\t\n ,?$\\0123456789abc.";

    @Test
    void truncatedMutatedAndRandomInputOnlyEverFailsWithALocatedConfigException() throws Exception {
        List<String[]> seeds = List.of(
                new String[]{Files.readString(ConfigLoaderTest.resource("full.yaml")), "routemq.yaml"},
                new String[]{Files.readString(ConfigLoaderTest.resource("full.json")), "routemq.json"},
                new String[]{Files.readString(ConfigLoaderTest.resource("go-example.json")), "config.json"});
        ConfigLoader loader = new ConfigLoader(ConfigLoaderTest.ENV);
        long seed = 20261122L;
        Random random = new Random(seed);
        int accepted = 0;
        int rejected = 0;
        for (int i = 0; i < 1500; i++) {
            String[] base = seeds.get(i % seeds.size());
            String text = switch (i % 5) {
                case 0 -> base[0].substring(0, random.nextInt(base[0].length() + 1));
                case 1, 2 -> mutate(base[0], random, 1 + random.nextInt(4));
                case 3 -> random(random, random.nextInt(200));
                default -> mutate(base[0].substring(0, random.nextInt(base[0].length() + 1)), random, 2);
            };
            String name = i % 7 == 0 ? "sniffed.conf" : base[1];
            try {
                loader.parse(text, name);
                accepted++;
            } catch (ConfigException e) {
                rejected++;
                for (ConfigError error : e.errors()) {
                    if (error.line() < 1 || error.column() < 1) {
                        fail("error without a location (seed " + seed + ", case " + i + "): " + error + "\n--- input ---\n" + text);
                    }
                }
            } catch (Throwable t) {
                throw new AssertionError("unexpected " + t + " (seed " + seed + ", case " + i + ")\n--- input ---\n" + text, t);
            }
        }
        assertThat(rejected).isGreaterThan(500);
        assertThat(accepted).isGreaterThan(0);
    }

    @Test
    void deepNestingIsAnErrorNotAStackOverflow() {
        String deep = "a: " + "[".repeat(5000);
        String deepJson = "{\"a\": " + "[".repeat(5000);
        for (String[] c : List.of(new String[]{deep, "x.yaml"}, new String[]{deepJson, "x.json"})) {
            try {
                new ConfigLoader(java.util.Map.of()).parse(c[0], c[1]);
                fail("accepted " + c[1]);
            } catch (ConfigException e) {
                assertThat(e.errors()).allSatisfy(err -> assertThat(err.line()).isPositive());
            }
        }
    }

    private static String mutate(String s, Random random, int edits) {
        StringBuilder sb = new StringBuilder(s);
        for (int k = 0; k < edits; k++) {
            int pos = sb.isEmpty() ? 0 : random.nextInt(sb.length());
            char c = SPECIALS.charAt(random.nextInt(SPECIALS.length()));
            switch (random.nextInt(3)) {
                case 0 -> sb.insert(pos, c);
                case 1 -> {
                    if (!sb.isEmpty()) sb.deleteCharAt(pos);
                }
                default -> {
                    if (!sb.isEmpty()) sb.setCharAt(pos, c);
                }
            }
        }
        return sb.toString();
    }

    private static String random(Random random, int length) {
        List<Character> pool = new ArrayList<>();
        for (char c : SPECIALS.toCharArray()) pool.add(c);
        pool.add('\u0000');
        pool.add('\u00e9');
        pool.add('\ud83d');
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < length; i++) sb.append(pool.get(random.nextInt(pool.size())));
        return sb.toString();
    }
}
