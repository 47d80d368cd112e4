package io.routemq.middleware.internal;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.routemq.middleware.RateLimitConfig;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * A rate limit kept in Redis: one atomic Lua script per message, sent as EVALSHA (one round trip; EVAL once when
 * Redis does not have the script yet). The scripts read Redis's clock, so every process shares one time. Each key
 * expires when it no longer matters (a window after its end, a bucket once full).
 */
public final class RedisLimiter {
    /** KEYS[1] the counter; ARGV limit, period ms. Returns 0 or the ms until the window ends. */
    static final String FIXED = """
            local n = redis.call('INCR', KEYS[1])
            if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
            if n <= tonumber(ARGV[1]) then return 0 end
            local ttl = redis.call('PTTL', KEYS[1])
            if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]); ttl = tonumber(ARGV[2]) end
            return ttl
            """;
    /** KEYS[1] a hash of window index to count; ARGV limit, period ms. Returns 0 or the ms to wait. */
    static final String SLIDING = """
            local limit = tonumber(ARGV[1])
            local period = tonumber(ARGV[2])
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            local w = math.floor(now / period)
            local elapsed = now - w * period
            local cur = tonumber(redis.call('HGET', KEYS[1], tostring(w)) or '0')
            local prev = tonumber(redis.call('HGET', KEYS[1], tostring(w - 1)) or '0')
            if prev * (period - elapsed) / period + cur + 1 <= limit then
              redis.call('HINCRBY', KEYS[1], tostring(w), 1)
              if redis.call('HLEN', KEYS[1]) > 2 then
                for _, f in ipairs(redis.call('HKEYS', KEYS[1])) do
                  if tonumber(f) < w - 1 then redis.call('HDEL', KEYS[1], f) end
                end
              end
              redis.call('PEXPIRE', KEYS[1], period * 2)
              return 0
            end
            if cur + 1 > limit or prev == 0 then return period - elapsed end
            local wait = math.ceil(period * (1 - (limit - cur - 1) / prev) - elapsed)
            if wait < 1 then wait = 1 end
            return wait
            """;
    /** KEYS[1] a hash {tokens, ts}; ARGV rate, period ms, burst. Returns 0 or the ms until a token is there. */
    static final String BUCKET = """
            local rate = tonumber(ARGV[1]) / tonumber(ARGV[2])
            local burst = tonumber(ARGV[3])
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
            local b = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
            local tokens = tonumber(b[1])
            local ts = tonumber(b[2])
            if tokens == nil or ts == nil then
              tokens = burst
            else
              tokens = math.min(burst, tokens + math.max(0, now - ts) * rate)
            end
            local wait = 0
            if tokens >= 1 then tokens = tokens - 1 else wait = math.ceil((1 - tokens) / rate) end
            redis.call('HSET', KEYS[1], 'tokens', string.format('%.6f', tokens), 'ts', string.format('%.3f', now))
            redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate) + 1000)
            return wait
            """;

    private final String script;
    private final String sha;
    private final String prefix;
    private final String[] args;

    /** @param config the limit; its scope names the keys {@code routemq:ratelimit:<scope>:<key>} */
    public RedisLimiter(RateLimitConfig config) {
        this.script = switch (config.algorithm()) {
            case FIXED_WINDOW -> FIXED;
            case SLIDING_WINDOW -> SLIDING;
            case TOKEN_BUCKET -> BUCKET;
        };
        this.sha = sha1(script);
        this.prefix = "routemq:ratelimit:" + config.scope() + ":";
        long ms = config.period().toMillis();
        this.args = config.algorithm() == RateLimitConfig.Algorithm.TOKEN_BUCKET
                ? new String[]{Long.toString(config.limit()), Long.toString(ms), Long.toString(config.burst())}
                : new String[]{Long.toString(config.limit()), Long.toString(ms)};
    }

    /** @return the Redis key of a message key */
    public String redisKey(String key) {
        return prefix + key;
    }

    /** @return the call that takes a permit: 0, or the milliseconds to wait */
    public CompletionStage<Long> acquire(RedisAsyncCommands<String, String> redis, String key) {
        String[] keys = {redisKey(key)};
        return redis.<Long>evalsha(sha, ScriptOutputType.INTEGER, keys, args).toCompletableFuture()
                .exceptionallyCompose(e -> noScript(e)
                        ? redis.<Long>eval(script, ScriptOutputType.INTEGER, keys, args).toCompletableFuture()
                        : CompletableFuture.failedFuture(e));
    }

    static boolean noScript(Throwable e) {
        Throwable t = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        return t instanceof RedisNoScriptException || String.valueOf(t.getMessage()).startsWith("NOSCRIPT");
    }

    static String sha1(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
