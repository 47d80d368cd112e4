package io.routemq.core;

/**
 * The code a route runs for each message it receives. It reads as plain blocking code: it runs on a virtual
 * thread. An exception it throws is isolated to its message and handed to the {@link ErrorHandler}.
 */
@FunctionalInterface
public interface Handler {
    /** Handles one message. */
    void handle(Context ctx) throws Exception;
}
