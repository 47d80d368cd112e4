package io.routemq.mqtt.internal;

/** MQTT topic filter matching (for handing messages to the right sink). */
final class TopicMatch {
    private TopicMatch() {
    }

    /** The filter without a {@code <prefix>/<group>/} share prefix. */
    static String unshared(String filter, String sharePrefix) {
        if (filter.startsWith(sharePrefix + "/")) {
            int groupEnd = filter.indexOf('/', sharePrefix.length() + 1);
            if (groupEnd > 0) return filter.substring(groupEnd + 1);
        }
        return filter;
    }

    /** Whether {@code topic} matches {@code filter} (no share prefix). */
    static boolean matches(String filter, String topic) {
        if (filter.equals(topic)) return true;
        if (topic.startsWith("$") && (filter.startsWith("+") || filter.startsWith("#"))) return false;
        String[] f = filter.split("/", -1);
        String[] t = topic.split("/", -1);
        for (int i = 0; i < f.length; i++) {
            if (f[i].equals("#")) return true;
            if (i >= t.length) return false;
            if (!f[i].equals("+") && !f[i].equals(t[i])) return false;
        }
        return f.length == t.length;
    }
}
