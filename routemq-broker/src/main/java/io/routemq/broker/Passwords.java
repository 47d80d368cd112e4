package io.routemq.broker;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Password hashing for broker users.
 *
 * <p>The format RouteMQ writes is {@code $pbkdf2-sha256$ITERATIONS$SALT$HASH}: PBKDF2 with HMAC-SHA256 from the JDK,
 * a 16-byte random salt, a 32-byte hash, both in standard Base64 without padding. For compatibility, hashes made by
 * {@code mosquitto_passwd} are accepted too: {@code $7$ITERATIONS$SALT$HASH} (PBKDF2-HMAC-SHA512) and
 * {@code $6$SALT$HASH} (salted SHA-512). Anything else is treated as a plain-text password (config users only).
 */
public final class Passwords {

    /** Prefix of RouteMQ's hash format. */
    public static final String PBKDF2_SHA256_PREFIX = "$pbkdf2-sha256$";
    /** Default PBKDF2 iteration count. */
    public static final int DEFAULT_ITERATIONS = 210_000;

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();

    private Passwords() {
    }

    /**
     * @param password the password; not kept
     * @return {@code $pbkdf2-sha256$210000$SALT$HASH}
     */
    public static String hash(char[] password) {
        return hash(password, DEFAULT_ITERATIONS);
    }

    /**
     * @param password   the password; not kept
     * @param iterations PBKDF2 iterations, at least 1000
     * @return {@code $pbkdf2-sha256$ITERATIONS$SALT$HASH}
     */
    public static String hash(char[] password, int iterations) {
        if (iterations < 1000) {
            throw new IllegalArgumentException("PBKDF2 iterations must be at least 1000, got " + iterations);
        }
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        byte[] dk = pbkdf2("PBKDF2WithHmacSHA256", password, salt, iterations, 32);
        return PBKDF2_SHA256_PREFIX + iterations + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(dk);
    }

    /**
     * @param stored a password entry
     * @return whether it is one of the hash formats this class understands
     */
    public static boolean isHash(String stored) {
        return stored.startsWith(PBKDF2_SHA256_PREFIX) || stored.startsWith("$7$") || stored.startsWith("$6$");
    }

    /**
     * Checks a password against a stored hash or plain-text password, in constant time for equal lengths.
     *
     * @param password the password the client sent (UTF-8 bytes)
     * @param stored   a hash (see class doc) or a plain password
     * @return whether they match
     * @throws IllegalArgumentException if {@code stored} looks like a hash but is malformed
     */
    public static boolean verify(byte[] password, String stored) {
        if (!isHash(stored)) {
            return MessageDigest.isEqual(password, stored.getBytes(StandardCharsets.UTF_8));
        }
        String[] parts = stored.split("\\$", -1);
        try {
            if (stored.startsWith(PBKDF2_SHA256_PREFIX) || stored.startsWith("$7$")) {
                // ["", "pbkdf2-sha256"|"7", iterations, salt, hash]
                if (parts.length != 5) {
                    throw new IllegalArgumentException("expected $" + parts[1] + "$ITERATIONS$SALT$HASH");
                }
                int iterations = Integer.parseInt(parts[2]);
                byte[] salt = decode(parts[3]);
                byte[] expected = decode(parts[4]);
                String alg = parts[1].equals("7") ? "PBKDF2WithHmacSHA512" : "PBKDF2WithHmacSHA256";
                char[] chars = utf8Chars(password);
                try {
                    return MessageDigest.isEqual(expected, pbkdf2(alg, chars, salt, iterations, expected.length));
                } finally {
                    Arrays.fill(chars, '\0');
                }
            }
            // $6$SALT$HASH: sha512(password || salt)
            if (parts.length != 4) {
                throw new IllegalArgumentException("expected $6$SALT$HASH");
            }
            byte[] salt = decode(parts[2]);
            byte[] expected = decode(parts[3]);
            MessageDigest sha = MessageDigest.getInstance("SHA-512");
            sha.update(password);
            sha.update(salt);
            return MessageDigest.isEqual(expected, sha.digest());
        } catch (NumberFormatException | GeneralSecurityException e) {
            throw new IllegalArgumentException("malformed password hash: " + e.getMessage(), e);
        }
    }

    private static byte[] decode(String b64) {
        return Base64.getDecoder().decode(b64.replace('.', '+'));
    }

    private static char[] utf8Chars(byte[] bytes) {
        CharBuffer cb = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(bytes));
        char[] chars = new char[cb.remaining()];
        cb.get(chars);
        if (cb.hasArray()) {
            Arrays.fill(cb.array(), '\0');
        }
        return chars;
    }

    private static byte[] pbkdf2(String alg, char[] password, byte[] salt, int iterations, int length) {
        if (iterations < 1 || iterations > 100_000_000) {
            throw new IllegalArgumentException("iterations out of range: " + iterations);
        }
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, length * 8);
        try {
            return SecretKeyFactory.getInstance(alg).generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(alg + " is not available in this JDK", e);
        } finally {
            spec.clearPassword();
        }
    }
}
