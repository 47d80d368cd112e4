package io.routemq.sink.http.internal;

import io.routemq.sink.http.HttpSinkConfig;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.config.TlsConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.client5.http.ssl.HostnameVerificationPolicy;
import org.apache.hc.client5.http.ssl.TlsSocketStrategy;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.message.BasicClassicHttpRequest;
import org.apache.hc.core5.http.message.BasicHeader;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.Timeout;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.security.NoSuchAlgorithmException;
import java.util.Map;

/**
 * {@link Transport} on Apache HttpClient 5 classic (blocking, pooled keep-alive connections, called from the
 * delivery's virtual threads): the sink's client for HTTP/1.1, its default version.
 *
 * <p>Why not the JDK {@code HttpClient} here: one POST of a 100-byte body to a local keep-alive server cost 2-3x the
 * client CPU with the JDK client (its selector thread, executor hand-offs and body publisher/subscriber chain) as with
 * this one, measured by {@code io.routemq.bench.e2e.HttpClientCost} (docs/performance.md, "The HTTP sink's
 * per-request cost"). OkHttp and Jetty cost about the same as this client; this one is plain Java (OkHttp brings the
 * Kotlin standard library) and blocking (Jetty's client is asynchronous at heart).
 *
 * <p>Configured to do what the JDK client did for the sink and nothing else: no redirects, no automatic retries (the
 * delivery worker retries), no cookies, no content compression, no proxy; host names verified by the JDK (the same
 * checks and messages as the JDK client), the connect timeout also bounds the TLS handshake, {@code timeout.request}
 * bounds the wait for the response (each read) and for a pooled connection.
 */
final class ApacheTransport implements Transport {
    private static final byte[] EMPTY = new byte[0];

    private final CloseableHttpClient client;
    private final String method;
    private final Header[] headers;

    /**
     * @param sslContext the context for https URLs, or null for the JDK default
     * @param headers    the fixed request headers (User-Agent included), without Content-Type and Authorization
     * @param urls       the number of URLs (the pool holds {@code maxInFlight} connections for each)
     */
    ApacheTransport(HttpSinkConfig cfg, SSLContext sslContext, Map<String, String> headers, int urls) {
        this.method = cfg.method();
        this.headers = headers.entrySet().stream().map(e -> new BasicHeader(e.getKey(), e.getValue())).toArray(Header[]::new);
        Timeout connect = Timeout.of(cfg.timeout().connect());
        Timeout request = Timeout.of(cfg.timeout().request());
        TlsSocketStrategy tls = ClientTlsStrategyBuilder.create()
                .setSslContext(sslContext != null ? sslContext : defaultContext())
                .setHostVerificationPolicy(HostnameVerificationPolicy.BUILTIN)
                .buildClassic();
        this.client = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setTlsSocketStrategy(handshakeTimeoutAsConnectTimeout(tls))
                        .setMaxConnPerRoute(cfg.maxInFlight())
                        .setMaxConnTotal(cfg.maxInFlight() * urls)
                        .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(connect).setSocketTimeout(request).build())
                        .setDefaultTlsConfig(TlsConfig.custom().setHandshakeTimeout(connect).build())
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(request).setConnectionRequestTimeout(request).build())
                .disableRedirectHandling().disableAutomaticRetries().disableCookieManagement().disableContentCompression()
                .disableAuthCaching()
                .build();
    }

    private static SSLContext defaultContext() {
        try {
            return SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no default SSL context: " + e, e);
        }
    }

    /** A TLS handshake that times out is reported as the JDK client reports it: a connect timeout. */
    private static TlsSocketStrategy handshakeTimeoutAsConnectTimeout(TlsSocketStrategy tls) {
        return (socket, target, port, attachment, context) -> {
            try {
                return tls.upgrade(socket, target, port, attachment, context);
            } catch (SocketTimeoutException e) {
                throw timeout(new HttpConnectTimeoutException("TLS handshake with " + target + ":" + port + " timed out"), e);
            }
        };
    }

    private static <T extends IOException> T timeout(T error, Throwable cause) {
        error.initCause(cause);
        return error;
    }

    @Override
    public Response send(URI uri, byte[] body, int length, String contentType, String authorization)
            throws IOException, InterruptedException {
        BasicClassicHttpRequest req = new BasicClassicHttpRequest(method, uri);
        for (Header h : headers) req.addHeader(h);
        req.addHeader("Content-Type", contentType);
        if (authorization != null) req.addHeader("Authorization", authorization);
        req.setEntity(new ByteArrayEntity(body, 0, length, null));
        try {
            return client.execute(req, ApacheTransport::read);
        } catch (ConnectTimeoutException e) {
            throw timeout(new HttpConnectTimeoutException("connect timed out"), e);
        } catch (SocketTimeoutException e) {
            throw timeout(new HttpTimeoutException("request timed out"), e);
        } catch (IOException e) {
            // an interrupted virtual thread's socket is closed under it: report the interrupt, not an I/O failure
            if (Thread.interrupted()) throw (InterruptedException) new InterruptedException("interrupted during the request").initCause(e);
            throw e;
        }
    }

    /** Reads what the classification needs; the client drains the rest of the body so the connection is reused. */
    private static Response read(ClassicHttpResponse resp) throws IOException {
        int status = resp.getCode();
        byte[] excerpt = EMPTY;
        HttpEntity entity = resp.getEntity();
        if (entity != null && (status < 200 || status > 299)) {
            try (InputStream in = entity.getContent()) {
                excerpt = in.readNBytes(ExcerptBodyHandler.LIMIT);
            }
        }
        return new Response(status, value(resp.getFirstHeader("Retry-After")), value(resp.getFirstHeader("Location")), excerpt);
    }

    private static String value(Header h) {
        return h == null ? null : h.getValue();
    }

    @Override
    public void close() {
        client.close(CloseMode.GRACEFUL);
    }
}
