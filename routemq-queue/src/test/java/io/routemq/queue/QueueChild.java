package io.routemq.queue;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Child JVM used by the crash and lock tests (a main, not a test).
 * <ul>
 *   <li>{@code append <dir> <threads> <segmentBytes>}: appends forever from several threads and prints
 *       {@code ACK <offset> <index>} for every acknowledged record.</li>
 *   <li>{@code open <dir>}: tries to open the store and prints {@code OPENED} or {@code ERROR <class>: <msg>}.</li>
 * </ul>
 */
public final class QueueChild {
    private QueueChild() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false, "UTF-8");
        Path dir = Path.of(args[1]);
        switch (args[0]) {
            case "append" -> {
                int threads = Integer.parseInt(args[2]);
                QueueStore store = QueueStore.open(QueueConfig.builder(dir)
                        .segmentBytes(Long.parseLong(args[3])).build());
                DurableQueue q = store.queue("crash");
                AtomicLong counter = new AtomicLong();
                out.println("READY");
                out.flush();
                for (int t = 0; t < threads; t++) {
                    Thread th = new Thread(() -> {
                        while (true) {
                            long i = counter.getAndIncrement();
                            long offset = q.append(Payloads.of(i)).join();
                            synchronized (out) {
                                out.println("ACK " + offset + " " + i);
                                out.flush();
                            }
                        }
                    });
                    th.start();
                }
                Thread.sleep(Long.MAX_VALUE);
            }
            case "open" -> {
                try (QueueStore store = QueueStore.open(QueueConfig.builder(dir).build())) {
                    store.queue("orders");
                    out.println("OPENED");
                } catch (QueueException e) {
                    out.println("ERROR " + e.getClass().getSimpleName() + ": " + e.getMessage());
                }
                out.flush();
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
    }
}
