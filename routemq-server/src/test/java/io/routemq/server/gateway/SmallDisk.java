package io.routemq.server.gateway;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A small tmpfs mounted for one test ({@code mount -t tmpfs -o size=...}), so that "disk full" is real. Needs
 * root (CI runs as root); where mounting is refused the test is skipped with the reason. {@link #close()}
 * unmounts it. (The same helper as routemq-queue's test SmallDisk; test classes are not shared between modules.)
 */
final class SmallDisk implements AutoCloseable {
    private final Path dir;

    private SmallDisk(Path dir) {
        this.dir = dir;
    }

    /** Mounts a tmpfs of {@code size} (like {@code 5m}) on a new directory under {@code parent}, or skips the test. */
    static SmallDisk mount(Path parent, String size) throws IOException, InterruptedException {
        Path dir = Files.createDirectories(parent.resolve("small-disk"));
        String out = run(List.of("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", dir.toString()));
        Assumptions.assumeTrue(out == null, () -> "skipped: cannot mount a " + size + " tmpfs on " + dir
                + " to fill a disk for real (needs root, as in CI): " + out);
        return new SmallDisk(dir);
    }

    Path dir() {
        return dir;
    }

    /** @return bytes free on the mount */
    long usableBytes() throws IOException {
        return Files.getFileStore(dir).getUsableSpace();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        String out = run(List.of("umount", dir.toString()));
        if (out != null) {
            String lazy = run(List.of("umount", "-l", dir.toString()));
            if (lazy != null) {
                throw new IOException("could not unmount the test tmpfs " + dir + ": " + out + " / " + lazy);
            }
        }
    }

    /** @return null on success, else the command's output and exit code */
    private static String run(List<String> command) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            return command.getFirst() + " could not run: " + e.getMessage();
        }
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return String.join(" ", command) + " did not finish in 30s";
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        return p.exitValue() == 0 ? null : String.join(" ", command) + " exited " + p.exitValue() + ": " + out;
    }
}
