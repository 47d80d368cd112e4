package io.routemq.core.config;

import java.util.Collection;
import java.util.Locale;

/** Did-you-mean: the closest candidate by edit distance (at most 2), by case or '_'/'-' alone, or by prefix. */
public final class Suggest {
    private Suggest() {
    }

    /** The best candidate for a misspelt word, or null when none is close. */
    public static String closest(String word, Collection<String> candidates) {
        if (word == null || word.isEmpty()) return null;
        String w = normalize(word);
        String best = null;
        int bestScore = Integer.MAX_VALUE;
        for (String c : candidates) {
            String n = normalize(c);
            int score;
            if (n.equals(w)) score = 0;
            else {
                int d = distance(w, n);
                if (d <= 2 && d < Math.max(w.length(), n.length())) score = 10 + d;
                else if (w.length() >= 3 && (n.startsWith(w) || w.startsWith(n) && n.length() >= 3)) score = 20 + Math.abs(n.length() - w.length());
                else continue;
            }
            if (score < bestScore) {
                bestScore = score;
                best = c;
            }
        }
        return best;
    }

    /** The hint for an unknown word: "did you mean 'x'?" or, without a close one, the list of what is allowed. */
    public static String hint(String word, Collection<String> candidates, String allowedLabel) {
        String c = closest(word, candidates);
        if (c != null) return "did you mean '" + c + "'?";
        if (candidates.isEmpty()) return null;
        return allowedLabel + ": " + String.join(", ", candidates);
    }

    private static String normalize(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '_' && c != '-') sb.append(c);
        }
        return sb.toString().toLowerCase(Locale.ROOT);
    }

    /** Levenshtein distance (insert, delete, substitute each cost 1). */
    public static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
