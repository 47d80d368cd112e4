package io.routemq.broker.internal;

import io.routemq.broker.BrokerConfig;
import io.routemq.broker.BrokerConfigException;
import io.routemq.broker.Passwords;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The user database: users from the config plus an optional password file that is re-read when it changes
 * (so {@code routemq broker passwd} takes effect without a restart). Successful checks are remembered as an HMAC
 * under a per-process random key, so a reconnect does not pay the PBKDF2 cost again.
 *
 * <p>Public only because {@code io.routemq.broker.EmbeddedBroker}, in this module, uses it; not API: other modules
 * must not use it.
 */
public final class Credentials {

    private static final Logger log = LoggerFactory.getLogger(Credentials.class);

    private final Map<String, String> configUsers;
    private final Path passwordFile;
    private final String internalUser;
    private final byte[] internalPassword;
    private volatile Map<String, String> fileUsers = Map.of();
    private volatile FileTime fileStamp;
    private volatile long fileSize = -1;
    private final byte[] cacheKey = new byte[32];
    private final ConcurrentHashMap<String, byte[]> verified = new ConcurrentHashMap<>();

    /**
     * @param configUsers  users from the config
     * @param passwordFile password file or {@code null}
     * @throws BrokerConfigException if the password file cannot be read
     */
    public Credentials(Map<String, String> configUsers, Path passwordFile) {
        this(configUsers, passwordFile, null);
    }

    /**
     * @param configUsers  users from the config
     * @param passwordFile password file or {@code null}
     * @param internal     the reserved identity, or {@code null}: its user name accepts only its own password
     * @throws BrokerConfigException if the password file cannot be read
     */
    public Credentials(Map<String, String> configUsers, Path passwordFile, BrokerConfig.Internal internal) {
        this.configUsers = Map.copyOf(configUsers);
        this.passwordFile = passwordFile;
        this.internalUser = internal == null ? null : internal.user();
        this.internalPassword = internal == null ? null : internal.password().getBytes(StandardCharsets.UTF_8);
        new SecureRandom().nextBytes(cacheKey);
        if (passwordFile != null) {
            reload(true);
            if (internalUser != null && fileUsers.containsKey(internalUser)) {
                log.warn("The password file {} has an entry for user '{}', a name reserved for the gateway's own"
                        + " session: that entry is never used. Remove it with 'routemq broker passwd --delete {} {}'.",
                        passwordFile, internalUser, passwordFile, internalUser);
            }
        }
    }

    /** @return whether the user name is the reserved internal one */
    public boolean isInternal(String user) {
        return internalUser != null && internalUser.equals(user);
    }

    /** @return number of users who may log in, the reserved internal one not counted */
    public int size() {
        Map<String, String> file = fileUsers;
        return configUsers.size() + file.size() - (internalUser != null && file.containsKey(internalUser) ? 1 : 0);
    }

    /**
     * @param user     user name
     * @param password password bytes as sent by the client
     * @return whether the user exists and the password matches
     */
    public boolean check(String user, byte[] password) {
        if (isInternal(user)) {
            return MessageDigest.isEqual(internalPassword, password);
        }
        if (passwordFile != null) {
            reload(false);
        }
        String stored = configUsers.containsKey(user) ? configUsers.get(user) : fileUsers.get(user);
        if (stored == null) {
            return false;
        }
        byte[] tag = hmac(stored, password);
        byte[] known = verified.get(user);
        if (known != null && MessageDigest.isEqual(known, tag)) {
            return true;
        }
        boolean ok;
        try {
            ok = Passwords.verify(password, stored);
        } catch (IllegalArgumentException e) {
            log.warn("The password entry of user '{}' is malformed ({}); refusing the login. Reset it with"
                    + " 'routemq broker passwd FILE {}'.", user, e.getMessage(), user);
            return false;
        }
        if (ok) {
            verified.put(user, tag);
        }
        return ok;
    }

    private byte[] hmac(String stored, byte[] password) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(cacheKey, "HmacSHA256"));
            mac.update(stored.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            return mac.doFinal(password);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 not available", e);
        }
    }

    private void reload(boolean initial) {
        try {
            FileTime stamp = Files.getLastModifiedTime(passwordFile);
            long size = Files.size(passwordFile);
            if (!initial && stamp.equals(fileStamp) && size == fileSize) {
                return;
            }
            synchronized (this) {
                if (!initial && stamp.equals(fileStamp) && size == fileSize) {
                    return;
                }
                Map<String, String> users = PasswordFile.read(passwordFile);
                fileUsers = Map.copyOf(users);
                fileStamp = stamp;
                fileSize = size;
                verified.clear();
                if (!initial) {
                    log.info("Reloaded password file {} ({} users)", passwordFile, users.size());
                }
            }
        } catch (IOException e) {
            if (initial) {
                // let PasswordFile.read produce the clear message
                PasswordFile.read(passwordFile);
            }
            log.warn("Cannot check password file {} for changes: {}; keeping the {} users read before",
                    passwordFile, e.toString(), fileUsers.size());
        } catch (BrokerConfigException e) {
            if (initial) {
                throw e;
            }
            log.warn("Password file changed but cannot be used: {}. Keeping the {} users read before.",
                    e.getMessage(), fileUsers.size());
            // do not retry on every connect until it changes again
            try {
                fileStamp = Files.getLastModifiedTime(passwordFile);
                fileSize = Files.size(passwordFile);
            } catch (IOException ignored) {
                // next connect retries
            }
        }
    }
}
