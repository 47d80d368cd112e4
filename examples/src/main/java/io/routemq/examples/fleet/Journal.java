package io.routemq.examples.fleet;

import java.util.ArrayList;
import java.util.List;

/** What the example's handlers did, in order. */
public final class Journal {
    private final List<String> lines = new ArrayList<>();

    /** Records one line. */
    public synchronized void add(String line) {
        lines.add(line);
    }

    /** Everything recorded so far. */
    public synchronized List<String> lines() {
        return List.copyOf(lines);
    }
}
