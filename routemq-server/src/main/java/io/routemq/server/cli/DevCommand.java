package io.routemq.server.cli;

import picocli.CommandLine.Command;

/**
 * {@code routemq dev [--config FILE] [--admin-port N] [--queue-dir DIR]}: runs the application of the working
 * directory as {@code run} does, and reloads it inside the running JVM when a source under {@code src/main/java}
 * changes: recompiled with the annotation processors, its route table swapped without closing a session or the queue.
 */
@Command(name = "dev", mixinStandardHelpOptions = true,
        description = {"Run the application and reload it in the running JVM when a source under src/main/java changes (docs/apps.md).",
                "A compile error is printed with its file and line, and the old code keeps running."})
final class DevCommand extends RunCommand {
    @Override
    boolean dev() {
        return true;
    }
}
