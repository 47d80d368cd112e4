package io.routemq.core.internal;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Route parameters: an immutable map in pattern order over one array of names and values. A route has a few
 * parameters, so a lookup scans the array; iterating walks it. It replaces an unmodifiable {@code LinkedHashMap},
 * whose copy (one node per entry, plus the wrapper) and wrapped entry iteration were about 6.5% of the gateway's
 * samples in the queue scenario (docs/performance.md): the parameters are bound, copied into the envelope, encoded,
 * decoded and written to the body for every message.
 */
public final class Params extends AbstractMap<String, String> {
    private static final Params EMPTY = new Params(new String[0]);

    /** name0, value0, name1, value1, ...; never changed after construction. */
    private final String[] kv;

    private Params(String[] kv) {
        this.kv = kv;
    }

    /** No parameters. */
    public static Params empty() {
        return EMPTY;
    }

    /**
     * Parameters from an array of names and values in turn, which the map then owns: the caller must not change it.
     * The names must be distinct, and no name or value null (the caller's guarantee: a pattern's parameter names are
     * distinct).
     */
    public static Params own(String[] namesAndValues) {
        if ((namesAndValues.length & 1) != 0) throw new IllegalArgumentException("names and values in turn: odd length");
        return namesAndValues.length == 0 ? EMPTY : new Params(namesAndValues);
    }

    /**
     * The same entries in the same order: the map itself when it is one of these, else a copy.
     *
     * @throws NullPointerException naming the parameter, when a name or a value is null
     */
    public static Params copyOf(Map<String, String> map) {
        if (map instanceof Params p) return p;
        if (map.isEmpty()) return EMPTY;
        String[] kv = new String[2 * map.size()];
        int i = 0;
        for (Map.Entry<String, String> e : map.entrySet()) {
            if (i == kv.length) throw new IllegalStateException("the map grew while it was copied");
            kv[i++] = Objects.requireNonNull(e.getKey(), "parameter name");
            kv[i++] = Objects.requireNonNull(e.getValue(), () -> "parameter '" + e.getKey() + "' has no value");
        }
        if (i != kv.length) throw new IllegalStateException("the map shrank while it was copied");
        return new Params(kv);
    }

    /** The name of the {@code i}th parameter, from 0. */
    public String name(int i) {
        return kv[2 * i];
    }

    /** The value of the {@code i}th parameter, from 0. */
    public String value(int i) {
        return kv[2 * i + 1];
    }

    @Override
    public int size() {
        return kv.length >> 1;
    }

    @Override
    public boolean isEmpty() {
        return kv.length == 0;
    }

    @Override
    public String get(Object name) {
        for (int i = 0; i < kv.length; i += 2) if (kv[i].equals(name)) return kv[i + 1];
        return null;
    }

    @Override
    public boolean containsKey(Object name) {
        for (int i = 0; i < kv.length; i += 2) if (kv[i].equals(name)) return true;
        return false;
    }

    @Override
    public void forEach(BiConsumer<? super String, ? super String> action) {
        for (int i = 0; i < kv.length; i += 2) action.accept(kv[i], kv[i + 1]);
    }

    @Override
    public Set<Entry<String, String>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<String, String>> iterator() {
                return new Iterator<>() {
                    private int i;

                    @Override
                    public boolean hasNext() {
                        return i < kv.length;
                    }

                    @Override
                    public Entry<String, String> next() {
                        if (i >= kv.length) throw new NoSuchElementException();
                        Entry<String, String> e = new SimpleImmutableEntry<>(kv[i], kv[i + 1]);
                        i += 2;
                        return e;
                    }
                };
            }

            @Override
            public int size() {
                return kv.length >> 1;
            }
        };
    }
}
