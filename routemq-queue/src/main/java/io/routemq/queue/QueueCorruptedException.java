package io.routemq.queue;

/**
 * A queue file is damaged in a way recovery may not repair by itself (anything but a torn tail of the newest
 * segment). The message names the file and the byte position.
 */
public class QueueCorruptedException extends QueueException {
    private static final long serialVersionUID = 1L;

    /** @param message what went wrong, where, and what to do */
    public QueueCorruptedException(String message) {
        super(message);
    }
}
