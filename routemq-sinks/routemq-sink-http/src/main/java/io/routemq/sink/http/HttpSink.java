package io.routemq.sink.http;

import io.routemq.core.sink.DeliveryResult;
import io.routemq.core.sink.Envelope;
import io.routemq.core.sink.Sink;
import io.routemq.sink.http.internal.Deliverer;
import io.routemq.sink.http.internal.Endpoint;
import io.routemq.sink.http.internal.TlsContexts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * A {@link Sink} that POSTs (or PUTs, ...) envelopes to one or more HTTP(S) URLs over pooled keep-alive connections:
 * HTTP/1.1 (the default) with Apache HttpClient 5, HTTP/2 with the JDK {@code HttpClient}.
 * <ul>
 *   <li>Modes: failover and round-robin inside one sink; for fanout build one sink per URL with
 *       {@link #forConfig(HttpSinkConfig)} (or {@link HttpSinkConfig#perUrl()}), each with its own durable queue.</li>
 *   <li>Per message (default): {@link #deliver(List)} sends the envelopes concurrently, at most
 *       {@code maxInFlight} per URL, and waits for all. Batched: one request per {@code batch.size} envelopes,
 *       a JSON array in envelope format.</li>
 *   <li>Classification: 2xx {@link DeliveryResult.Delivered}; 408, 429, 5xx, connection, TLS and timeout errors
 *       {@link DeliveryResult.Retry} (with the server's Retry-After); other statuses {@link DeliveryResult.Reject}.</li>
 * </ul>
 * Thread-safe; {@code deliver} may be called from several threads at once. See {@code docs/http-sink.md}.
 */
public final class HttpSink implements Sink {

    private static final Logger LOG = LoggerFactory.getLogger(HttpSink.class);

    private final HttpSinkConfig config;
    private final Deliverer deliverer;

    /**
     * Opens a sink (no connection is made until the first delivery).
     *
     * @throws IllegalArgumentException if the mode is fanout with several URLs (use {@link #forConfig}) or the CA file
     *                                  cannot be read
     */
    public HttpSink(HttpSinkConfig config) {
        this(config, Clock.systemUTC());
    }

    /** As {@link #HttpSink(HttpSinkConfig)} with a given wall clock (for Retry-After dates in tests). */
    public HttpSink(HttpSinkConfig config, Clock clock) {
        this.config = config;
        SSLContext ssl = sslContext(config);
        if (ssl != null && config.tls().ca() == null) {
            LOG.warn("HTTP sink '{}': TLS verification is OFF (tls.insecure: true) for {}: any certificate and host name is accepted, "
                    + "so traffic can be intercepted; use tls.ca with the server's CA instead", config.name(), config.displayUrls());
        }
        this.deliverer = new Deliverer(config, ssl, clock, System::nanoTime);
        LOG.info("HTTP sink '{}': {} {} ({}), body {}, {}, maxInFlight {} per URL", config.name(), config.method(),
                config.displayUrls(), config.mode().name().toLowerCase(Locale.ROOT),
                config.body().name().toLowerCase(Locale.ROOT),
                config.batch().enabled() ? "batches of " + config.batch().size() + " (linger " + config.batch().linger().toMillis() + "ms)" : "one request per message",
                config.maxInFlight());
    }

    /**
     * Checks what opening the sinks of a configuration checks (the fanout split, the TLS CA file), without opening
     * them: no client is created and nothing is logged. {@code routemq check} calls it.
     *
     * @throws IllegalArgumentException as {@link #forConfig} would
     */
    public static void validate(HttpSinkConfig config) {
        configsFor(config).forEach(HttpSink::sslContext);
    }

    /**
     * The configurations of the sinks {@link #forConfig} opens: one per URL when the mode is fanout (named as in
     * {@link HttpSinkConfig#perUrl()}), otherwise the configuration itself. Each sink has its own durable queue, so
     * this also names the queues, without opening anything.
     */
    public static List<HttpSinkConfig> configsFor(HttpSinkConfig config) {
        return config.mode() == UrlMode.FANOUT ? config.perUrl() : List.of(config);
    }

    private static SSLContext sslContext(HttpSinkConfig config) {
        String at = "sinks." + config.name() + ".http.";
        if (config.mode() == UrlMode.FANOUT && config.urls().size() > 1) {
            throw new IllegalArgumentException(at + "mode: fanout with " + config.urls().size()
                    + " urls needs one sink per URL so each is tracked separately: build them with HttpSink.forConfig(config) or config.perUrl()");
        }
        if (config.tls().ca() != null) return TlsContexts.trusting(at + "tls.ca", config.tls().ca());
        if (config.tls().insecure()) return TlsContexts.trustingEverything();
        return null;
    }

    /**
     * The sinks for a configuration: one per URL when the mode is fanout (named as in {@link HttpSinkConfig#perUrl()}),
     * otherwise just one.
     */
    public static List<HttpSink> forConfig(HttpSinkConfig config) {
        return configsFor(config).stream().map(HttpSink::new).toList();
    }

    /** The configuration. */
    public HttpSinkConfig config() {
        return config;
    }

    @Override
    public String name() {
        return config.name();
    }

    @Override
    public List<DeliveryResult> deliver(List<Envelope> envelopes) throws InterruptedException {
        return deliverer.deliver(envelopes);
    }

    /**
     * With batching, {@code batch.size} (one request per call); otherwise {@code maxInFlight}, times the number of
     * URLs in round-robin mode, so one call can keep every allowed request busy.
     */
    @Override
    public int maxBatch() {
        if (config.batch().enabled()) return config.batch().size();
        return requestSlots();
    }

    /**
     * With batching, {@code maxInFlight} (times the number of URLs in round-robin mode, capped at 1000): one request
     * per call, so the worker keeps that many batches in flight, never two of the same topic. Per message, 1: one call
     * already sends up to {@code maxInFlight} requests.
     */
    @Override
    public int maxConcurrentBatches() {
        if (!config.batch().enabled()) return 1;
        return requestSlots();
    }

    private int requestSlots() {
        int urls = config.mode() == UrlMode.ROUND_ROBIN ? config.urls().size() : 1;
        return Math.min(1000, config.maxInFlight() * urls);
    }

    /** With batching, {@code batch.linger}; otherwise zero. */
    @Override
    public Duration linger() {
        return config.batch().enabled() ? config.batch().linger() : Duration.ZERO;
    }

    /**
     * The state of one URL.
     *
     * @param url      the URL without credentials or query
     * @param circuit  closed, open or half_open
     * @param inFlight requests now in flight
     */
    public record UrlStatus(String url, String circuit, int inFlight) {
    }

    /** The state of each URL, in configured order (for status pages and tests). */
    public List<UrlStatus> status() {
        return deliverer.endpoints().stream().map(HttpSink::status).toList();
    }

    private static UrlStatus status(Endpoint ep) {
        return new UrlStatus(ep.display(), ep.breaker().state().name().toLowerCase(Locale.ROOT),
                Math.max(0, ep.maxInFlight() - ep.permits().availablePermits()));
    }

    /** Closes the HTTP client (waits up to 5 s for requests in flight). */
    @Override
    public void close() {
        deliverer.close();
    }

    @Override
    public String toString() {
        return "HttpSink[" + config.name() + " " + config.displayUrls() + "]";
    }
}
