package io.routemq.broker.internal;

import io.routemq.broker.BrokerConfigException;
import io.routemq.broker.Passwords;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes password files: one {@code user:hash} a line, {@code #} comments and blank lines ignored.
 *
 * <p>Public only because {@code io.routemq.broker.cli.BrokerCommand}, in this module, uses it; not API: other modules
 * must not use it.
 */
public final class PasswordFile {

    private PasswordFile() {
    }

    /**
     * @param file the password file
     * @return user name to hash, in file order
     * @throws BrokerConfigException if the file is missing, unreadable or has a malformed line (named by number)
     */
    public static Map<String, String> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new BrokerConfigException("broker.passwordFile: " + file.toAbsolutePath() + " does not exist. Create it with"
                    + " 'routemq broker passwd " + file + " USER', or fix the path.", e);
        } catch (AccessDeniedException e) {
            throw new BrokerConfigException("broker.passwordFile: " + file.toAbsolutePath()
                    + " cannot be read (permission denied). Make it readable by the user running RouteMQ.", e);
        } catch (IOException e) {
            throw new BrokerConfigException("broker.passwordFile: cannot read " + file.toAbsolutePath() + ": " + e, e);
        }
        Map<String, String> users = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            String where = file + ":" + (i + 1);
            if (colon <= 0) {
                throw new BrokerConfigException(where + ": expected 'user:$pbkdf2-sha256$ITERATIONS$SALT$HASH'."
                        + " Add users with 'routemq broker passwd " + file + " USER'.");
            }
            String user = line.substring(0, colon);
            String hash = line.substring(colon + 1);
            if (!Passwords.isHash(hash)) {
                throw new BrokerConfigException(where + ": the entry of user '" + user + "' is not a password hash"
                        + " (plain-text passwords are not allowed in password files). Set it with 'routemq broker passwd "
                        + file + " " + user + "'.");
            }
            users.put(user, hash);
        }
        return users;
    }

    /**
     * Adds or replaces one user, or removes it when {@code hash} is {@code null}. The file is created if missing
     * (owner read/write only) and replaced atomically; comments and other users are kept.
     *
     * @param file the password file
     * @param user the user name
     * @param hash the new hash, or {@code null} to remove the user
     * @return {@code true} if the user existed before
     * @throws IOException if the file cannot be written
     */
    public static boolean update(Path file, String user, String hash) throws IOException {
        if (user.isEmpty() || user.indexOf(':') >= 0 || user.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("user name '" + user + "' must be non-empty, without ':' or spaces");
        }
        List<String> lines = Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : new ArrayList<>();
        List<String> out = new ArrayList<>();
        boolean existed = false;
        for (String line : lines) {
            String s = line.strip();
            if (!s.startsWith("#") && s.startsWith(user + ":")) {
                existed = true;
                if (hash != null) {
                    out.add(user + ":" + hash);
                    hash = null; // only once
                }
                continue;
            }
            out.add(line);
        }
        if (hash != null) {
            out.add(user + ":" + hash);
        }
        Path abs = file.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        Path tmp = Files.createTempFile(dir, "." + abs.getFileName(), ".tmp");
        try {
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system
            }
            Files.write(tmp, out, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        return existed;
    }
}
