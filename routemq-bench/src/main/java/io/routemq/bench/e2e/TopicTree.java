package io.routemq.bench.e2e;

/**
 * The topics the load generator publishes to: {@code site/s<site>/device/d<device>/telemetry} for every site and
 * device, numbered {@code site * devicesPerSite + device}. Topic {@code i} belongs to publisher {@code i % publishers}.
 */
final class TopicTree {
    private final int sites;
    private final int devicesPerSite;
    private final String[] topics;

    TopicTree(int sites, int devicesPerSite) {
        if (sites < 1 || devicesPerSite < 1) {
            throw new IllegalArgumentException("--sites and --devices must be at least 1, got " + sites + " and " + devicesPerSite);
        }
        this.sites = sites;
        this.devicesPerSite = devicesPerSite;
        this.topics = new String[sites * devicesPerSite];
        for (int s = 0; s < sites; s++) {
            for (int d = 0; d < devicesPerSite; d++) topics[s * devicesPerSite + d] = topic(s, d);
        }
    }

    static String topic(int site, int device) {
        return "site/s" + site + "/device/d" + device + "/telemetry";
    }

    int size() {
        return topics.length;
    }

    String topic(int index) {
        return topics[index];
    }

    int sites() {
        return sites;
    }

    int devicesPerSite() {
        return devicesPerSite;
    }

    /** The MQTT filter that covers every topic. */
    static String filter() {
        return "site/+/device/+/telemetry";
    }
}
