package io.routemq.middleware;

import io.routemq.core.Context;
import io.routemq.core.Middleware;
import io.routemq.core.Next;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * Lets a message through only when it proves it may: a token in a user property that is one of the accepted tokens,
 * or an HMAC-SHA256 signature of the payload in a user property. A refused message is acknowledged and not handled
 * (FILTERED, counted {@code refused}); the reason is logged at DEBUG, never the token or signature. Comparisons take
 * the same time whatever matches: tokens are compared as SHA-256 digests, each against every accepted one.
 *
 * <pre>{@code
 * fleet.middleware(Auth.of(AuthConfig.tokensFile(Path.of("tokens.txt"))));
 * router.middleware(Auth.of(AuthConfig.hmac(System.getenv("SIGNING_KEY"))));
 * }</pre>
 */
public final class Auth implements Middleware {
    /** The name in metrics and configs. */
    public static final String NAME = "auth";
    private static final Logger log = LoggerFactory.getLogger(Auth.class);

    private final AuthConfig config;
    private final MiddlewareMetrics metrics;
    private final List<byte[]> digests;
    private final Mac mac;

    private Auth(AuthConfig config, MiddlewareMetrics metrics) {
        this.config = Objects.requireNonNull(config, "config");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.digests = config.tokens().stream().map(Auth::sha256).toList();
        try {
            this.mac = config.hmac() ? Mac.getInstance("HmacSHA256") : null;
            if (mac != null) mac.init(new SecretKeySpec(config.hmacSecret().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }

    /** @param config the options @return the middleware, counting nothing */
    public static Auth of(AuthConfig config) {
        return new Auth(config, MiddlewareMetrics.NONE);
    }

    /** @param config the options @param metrics where refusals are counted @return the middleware */
    public static Auth of(AuthConfig config, MiddlewareMetrics metrics) {
        return new Auth(config, metrics);
    }

    /** True: a digest or an HMAC of the payload, computed here; no I/O. */
    @Override
    public boolean nonBlocking() {
        return true;
    }

    @Override
    public void handle(Context ctx, Next next) throws Exception {
        String presented = ctx.userProperty(config.property());
        String refused = presented == null ? "no '" + config.property() + "' user property"
                : config.hmac() ? (signatureOk(ctx.payload(), presented) ? null : "the signature does not match the payload")
                : (tokenOk(presented) ? null : "the token is not accepted");
        if (refused == null) {
            next.proceed(ctx);
            return;
        }
        metrics.record(NAME, ctx, "refused");
        if (log.isDebugEnabled()) log.debug("auth refused a message on topic '{}' (route '{}'): {}", ctx.topic(), ctx.route().name(), refused);
    }

    private boolean tokenOk(String token) {
        byte[] d = sha256(token);
        boolean ok = false;
        for (byte[] accepted : digests) ok |= MessageDigest.isEqual(d, accepted);
        return ok;
    }

    private boolean signatureOk(byte[] payload, String presented) {
        byte[] expected;
        try {
            Mac m = (Mac) mac.clone();
            expected = m.doFinal(payload);
        } catch (CloneNotSupportedException e) {
            synchronized (mac) {
                expected = mac.doFinal(payload);
            }
        }
        byte[] given = decode(presented.strip());
        return given != null && MessageDigest.isEqual(expected, given);
    }

    private byte[] decode(String s) {
        try {
            if (config.encoding() == AuthConfig.Encoding.HEX) return HexFormat.of().parseHex(s);
            return s.indexOf('-') >= 0 || s.indexOf('_') >= 0 ? Base64.getUrlDecoder().decode(s) : Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Signs a payload as this middleware expects, for publishers and tests.
     *
     * @param secret  the HMAC-SHA256 key
     * @param payload the payload
     * @return the signature in lowercase hex
     */
    public static String sign(String secret, byte[] payload) {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(m.doFinal(payload));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
