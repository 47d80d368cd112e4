package io.routemq.broker.internal;

import io.routemq.broker.BrokerConfig;
import io.routemq.broker.BrokerConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks and creates the broker's data directory. The errors name {@code broker.dataDir}, the key both config
 * dialects (the broker's and the gateway's) write it with, and no key that only one of them knows.
 *
 * <p>Public only because {@code io.routemq.broker.EmbeddedBroker}, in this module, uses it; not API: other modules
 * must not use it.
 */
public final class DataDir {

    private DataDir() {
    }

    /**
     * @param config the config
     * @return the absolute data directory, created if missing; {@code null} in memory mode
     * @throws BrokerConfigException if it is a file, cannot be created, or is not readable and writable
     */
    public static Path prepare(BrokerConfig config) {
        if (config.persistence() == BrokerConfig.Persistence.MEMORY) {
            return null;
        }
        Path dir = config.dataDir().toAbsolutePath();
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new BrokerConfigException("broker.dataDir " + dir + " is a file, not a directory. Point broker.dataDir"
                    + " at a directory (it is created if missing).");
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new BrokerConfigException("broker.dataDir " + dir + " cannot be created (" + describe(e)
                    + "). Fix the permissions of its parent, or point broker.dataDir at a directory this user can write.", e);
        }
        if (!Files.isReadable(dir) || !Files.isWritable(dir) || !Files.isExecutable(dir)) {
            throw new BrokerConfigException("broker.dataDir " + dir + " is not readable and writable by this user."
                    + " Fix its permissions (chown/chmod) or point broker.dataDir at a directory this user can write.");
        }
        return dir;
    }

    private static String describe(IOException e) {
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied: " + e.getMessage();
        }
        if (e instanceof java.nio.file.FileAlreadyExistsException) {
            return "a file is in the way: " + e.getMessage();
        }
        return String.valueOf(e.getMessage());
    }
}
