package io.routemq.bench.jmh;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * A deterministic IoT routing workload: {@code n} distinct route patterns over a realistic topic tree (sites with
 * devices, truck fleets, buildings with rooms, tenants with apps; literal-heavy routes next to {@code {param}},
 * {@code +} and {@code #} routes), and concrete topics to probe them with, most of which hit a route.
 *
 * <p>The same {@code (n, seed)} always gives the same patterns in the same order, and the same
 * {@code (patterns, count, seed)} the same topics, so that runs on different days and machines compare.
 */
public final class IotWorkload {
    /** The default seed of the benchmarks. */
    public static final long SEED = 0x5EED_2026L;

    /** The routes every table starts with: the shapes a small application registers by hand. */
    static final List<String> BASE = List.of(
            "site/{site}/device/{deviceId}/telemetry",
            "site/{site}/device/{deviceId}/status",
            "fleet/{fleetId}/trucks/{truckId}/gps",
            "fleet/{fleetId}/trucks/{truckId}/alerts",
            "site/s17/device/d0042/telemetry",
            "building/+/floor/+/room/{room}/temperature",
            "site/+/gateway/{gatewayId}/#",
            "alerts/#",
            "sensors/{deviceId}/data",
            "cmd/{deviceId}/set/{property}");

    private static final String[] METRICS = {"telemetry", "status", "events", "config", "battery"};
    private static final String[] TRUCK_KINDS = {"gps", "alerts", "fuel", "engine"};
    private static final String[] SENSORS = {"temperature", "humidity", "co2", "occupancy"};
    private static final String[] EVENTS = {"created", "updated", "deleted", "heartbeat"};

    private IotWorkload() {
    }

    /**
     * {@code n} distinct route patterns: the first ones from {@link #BASE}, the rest drawn from weighted families
     * whose id ranges grow with {@code n}, so that the trie gets both wider and deeper as the table grows.
     */
    public static List<String> patterns(int n, long seed) {
        if (n < 1) throw new IllegalArgumentException("route count must be at least 1, got " + n);
        LinkedHashSet<String> out = new LinkedHashSet<>();
        for (String b : BASE) {
            if (out.size() == n) break;
            out.add(b);
        }
        SplittableRandom rnd = new SplittableRandom(seed ^ n);
        int sites = Math.max(4, n / 200);
        int fleets = Math.max(2, n / 500);
        int buildings = Math.max(2, n / 400);
        int tenants = Math.max(2, n / 1000);
        while (out.size() < n) {
            int family = rnd.nextInt(100);
            String p;
            if (family < 40) {          // literal device routes: the bulk of a big table
                p = "site/s" + rnd.nextInt(sites) + "/device/d" + pad(rnd.nextInt(10_000)) + "/" + pick(rnd, METRICS);
            } else if (family < 55) {   // per-site parameter routes
                p = "site/s" + rnd.nextInt(sites) + "/device/{deviceId}/" + pick(rnd, METRICS);
            } else if (family < 65) {   // literal trucks
                p = "fleet/f" + rnd.nextInt(fleets) + "/trucks/t" + pad(rnd.nextInt(10_000)) + "/" + pick(rnd, TRUCK_KINDS);
            } else if (family < 70) {   // per-fleet parameter routes
                p = "fleet/f" + rnd.nextInt(fleets) + "/trucks/{truckId}/" + pick(rnd, TRUCK_KINDS);
            } else if (family < 80) {   // buildings: literal rooms, parameter floors
                p = "building/b" + rnd.nextInt(buildings) + "/floor/{floor}/room/r" + rnd.nextInt(500) + "/" + pick(rnd, SENSORS);
            } else if (family < 86) {   // + and # mixes under a site
                p = "site/s" + rnd.nextInt(sites) + "/+/d" + pad(rnd.nextInt(10_000)) + "/#";
            } else if (family < 90) {
                p = "site/s" + rnd.nextInt(sites) + "/line/l" + rnd.nextInt(50) + "/#";
            } else if (family < 97) {   // tenants: literal app, + kind, event parameter
                p = "tenant/t" + rnd.nextInt(tenants) + "/app/a" + rnd.nextInt(1_000) + "/+/" + pick(rnd, EVENTS);
            } else {                    // whole-fleet catch-alls
                p = "fleet/f" + rnd.nextInt(fleets) + "/+/{unitId}/#";
            }
            out.add(p);
        }
        return List.copyOf(out);
    }

    /**
     * {@code count} concrete topics: about {@code 1 - missShare} of them are instances of a randomly chosen route
     * (parameters and {@code +} become ids, {@code #} becomes one or two levels), the rest are topics of the same
     * tree that no route is meant to match (unknown metrics, unknown roots, too deep). Whether a topic really matches
     * is for the matcher to say; the benchmarks print the hit count.
     */
    public static String[] topics(List<String> patterns, int count, double missShare, long seed) {
        Random rnd = new Random(seed);
        String[] out = new String[count];
        for (int i = 0; i < count; i++) {
            out[i] = rnd.nextDouble() < missShare ? miss(rnd) : instantiate(patterns.get(rnd.nextInt(patterns.size())), rnd);
        }
        return out;
    }

    /** A concrete topic that the pattern matches (by MQTT rules and by the regex-scan rules alike). */
    static String instantiate(String pattern, Random rnd) {
        String[] levels = pattern.split("/", -1);
        List<String> parts = new ArrayList<>(levels.length + 2);
        for (String level : levels) {
            if (level.equals("#")) {
                parts.add("x" + rnd.nextInt(100));
                if (rnd.nextBoolean()) parts.add("y" + rnd.nextInt(100));
            } else if (level.equals("+") || level.startsWith("{")) {
                parts.add("v" + pad(rnd.nextInt(10_000)));
            } else {
                parts.add(level);
            }
        }
        return String.join("/", parts);
    }

    private static String miss(Random rnd) {
        return switch (rnd.nextInt(4)) {
            case 0 -> "site/s" + rnd.nextInt(50) + "/device/d" + pad(rnd.nextInt(10_000)) + "/firmware";
            case 1 -> "warehouse/w" + rnd.nextInt(20) + "/dock/" + rnd.nextInt(40) + "/door";
            case 2 -> "fleet/f" + rnd.nextInt(20) + "/trucks";
            default -> "building/b" + rnd.nextInt(20) + "/floor/" + rnd.nextInt(9) + "/room/r" + rnd.nextInt(500) + "/noise/raw";
        };
    }

    private static String pick(SplittableRandom rnd, String[] values) {
        return values[rnd.nextInt(values.length)];
    }

    private static String pad(int v) {
        String s = Integer.toString(v);
        return "0000".substring(Math.min(4, s.length())) + s;
    }
}
