package io.routemq.core.internal;

import io.routemq.core.TopicPattern;

import java.util.List;
import java.util.Map;

/**
 * Where the parameters of a match are in its topic, as the trie's walk found them, packed into one {@code int} so
 * that a match carries them without allocating: binding the parameters then cuts the topic at those places instead
 * of matching the pattern against the topic a second time.
 *
 * <p><b>Layout.</b> Every single-level step of the winning path ({@code +} or {@code {x}}: they share one trie
 * child) pushes the index where its topic level starts, and a multi-level route ({@code #} or {@code {x...}})
 * pushes where its capture starts (the topic length + 1 when the topic ends at the route's last fixed level):
 * {@code bounds = bounds << w | index}, with {@code w} = {@link #width} of the topic's length. The last push is in
 * the lowest bits. A route with {@code k} such levels reads its {@code k} pushes back when {@code k * w <= 32}: 5
 * levels for topics under 62 characters, 4 under 254, 2 under 65,534; otherwise (or for a match made without the
 * trie, {@link #UNKNOWN}) the parameters are bound from the pattern, as before. No pushed index is all ones, so a
 * real {@code bounds} is never {@link #UNKNOWN}.
 *
 * <p>Public only because {@code io.routemq.core.Match}, in this module, uses it; not API: other modules must not use
 * it.
 */
public final class LevelBounds {
    /** The bounds of a match not made by the trie: the parameters are bound by matching the pattern again. */
    public static final int UNKNOWN = -1;

    private LevelBounds() {
    }

    /** Bits per pushed index for a topic of {@code length} characters: enough for {@code length + 2}. */
    static int width(int length) {
        return 32 - Integer.numberOfLeadingZeros(length + 2);
    }

    /**
     * The parameters of {@code pattern} bound from {@code topic}, which the trie matched to it with these
     * {@code bounds} (or any topic the pattern matches, with {@link #UNKNOWN}); in pattern order, unmodifiable.
     */
    public static Map<String, String> bind(TopicPattern pattern, String topic, int bounds) {
        List<String> names = pattern.paramNames();
        if (names.isEmpty()) return Params.empty();
        int levels = pattern.levelCount();
        int len = topic.length();
        int w = width(len);
        int k = 0;
        for (int i = 0; i < levels; i++) if (pattern.levelKind(i) != TopicPattern.LevelKind.LITERAL) k++;
        if (bounds == UNKNOWN || w > 16 || k * w > 32) return pattern.bind(topic);
        int mask = (1 << w) - 1;
        String[] out = new String[2 * names.size()];
        int shift = (k - 1) * w;
        int param = 0;
        for (int i = 0; i < levels; i++) {
            switch (pattern.levelKind(i)) {
                case LITERAL -> {
                    continue;
                }
                case PARAM -> {
                    int start = (bounds >>> shift) & mask;
                    int end = topic.indexOf('/', start);
                    out[2 * param] = names.get(param);
                    out[2 * param + 1] = topic.substring(start, end < 0 ? len : end);
                    param++;
                }
                case MULTI_PARAM -> {
                    int start = (bounds >>> shift) & mask;
                    out[2 * param] = names.get(param);
                    out[2 * param + 1] = start >= len ? "" : topic.substring(start);
                    param++;
                }
                case SINGLE_WILDCARD, MULTI_WILDCARD -> {
                }
            }
            shift -= w;
        }
        return Params.own(out); // one parameter per PARAM or MULTI_PARAM level: every slot is set
    }
}
