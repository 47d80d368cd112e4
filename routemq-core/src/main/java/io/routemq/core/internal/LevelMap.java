package io.routemq.core.internal;

/**
 * An open-addressing map from a topic level to a trie node, looked up by a region of the topic string so that
 * matching never cuts the topic into substrings. Written by hand because no JDK or library map can be queried by
 * a {@code (String, start, end)} region without allocating; the router bench shows the allocation-free lookup is
 * what keeps matching near 100 ns.
 *
 * @param <V> the value type
 */
final class LevelMap<V> {
    private String[] keys = new String[4];
    private Object[] values = new Object[4];
    private int size;

    /** The value for the level {@code topic[start, end)}, or null. */
    @SuppressWarnings("unchecked")
    V get(String topic, int start, int end) {
        int len = end - start;
        int h = 0;
        for (int i = start; i < end; i++) h = 31 * h + topic.charAt(i);
        String[] ks = keys;
        int mask = ks.length - 1;
        for (int i = spread(h) & mask; ; i = (i + 1) & mask) {
            String k = ks[i];
            if (k == null) return null;
            if (k.length() == len && k.hashCode() == h && topic.regionMatches(start, k, 0, len)) return (V) values[i];
        }
    }

    /** The value for a whole level string, or null. */
    V get(String level) {
        return get(level, 0, level.length());
    }

    /** Puts a value; returns the previous one or null. */
    @SuppressWarnings("unchecked")
    V put(String key, V value) {
        if ((size + 1) * 2 > keys.length) resize();
        int mask = keys.length - 1;
        for (int i = spread(key.hashCode()) & mask; ; i = (i + 1) & mask) {
            String k = keys[i];
            if (k == null) {
                keys[i] = key;
                values[i] = value;
                size++;
                return null;
            }
            if (k.equals(key)) {
                V old = (V) values[i];
                values[i] = value;
                return old;
            }
        }
    }

    int size() {
        return size;
    }

    private void resize() {
        String[] oldKeys = keys;
        Object[] oldValues = values;
        keys = new String[oldKeys.length * 2];
        values = new Object[oldKeys.length * 2];
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != null) put(oldKeys[i], cast(oldValues[i]));
        }
    }

    @SuppressWarnings("unchecked")
    private V cast(Object o) {
        return (V) o;
    }

    private static int spread(int h) {
        return h ^ (h >>> 16);
    }
}
