package io.routemq.sink.http.internal;

import io.routemq.sink.http.HttpSinkConfig;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.HttpRoute;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.TlsConfig;
import org.apache.hc.client5.http.impl.DefaultClientConnectionReuseStrategy;
import org.apache.hc.client5.http.impl.DefaultConnectionKeepAliveStrategy;
import org.apache.hc.client5.http.impl.DefaultSchemePortResolver;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.io.ConnectionEndpoint;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.client5.http.routing.RoutingSupport;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.client5.http.ssl.HostnameVerificationPolicy;
import org.apache.hc.client5.http.ssl.TlsSocketStrategy;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ConnectionRequestTimeoutException;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.URIScheme;
import org.apache.hc.core5.http.impl.io.HttpRequestExecutor;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.message.BasicClassicHttpRequest;
import org.apache.hc.core5.http.message.BasicHeader;
import org.apache.hc.core5.http.protocol.HttpProcessor;
import org.apache.hc.core5.http.protocol.HttpProcessorBuilder;
import org.apache.hc.core5.http.protocol.RequestConnControl;
import org.apache.hc.core5.http.protocol.RequestContent;
import org.apache.hc.core5.http.protocol.RequestTargetHost;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.TimeValue;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * {@link Transport} on Apache HttpClient 5's classic connection layer (blocking, pooled keep-alive connections, called
 * from the delivery's virtual threads): the sink's client for HTTP/1.1, its default version.
 *
 * <p>Why not the JDK {@code HttpClient} here: one POST of a 100-byte body to a local keep-alive server cost 2-3x the
 * client CPU with the JDK client (its selector thread, executor hand-offs and body publisher/subscriber chain) as with
 * this one, measured by {@code io.routemq.bench.e2e.HttpClientCost} (docs/performance.md, "The HTTP sink's
 * per-request cost"). OkHttp and Jetty cost about the same as Apache's client; this one is plain Java (OkHttp brings
 * the Kotlin standard library) and blocking (Jetty's client is asynchronous at heart).
 *
 * <p>Why its connection manager and request executor and not its {@code CloseableHttpClient}: the client's execution
 * chain (route planning, a {@code URIBuilder} parse of every request URI for authentication caching, redirect, retry
 * and protocol steps, each with its context look-ups) cost about twice the socket exchange itself in the gateway's
 * profile, for features the sink turns off (no redirects, no automatic retries: the delivery worker retries; no
 * cookies, no content compression, no authentication challenges: the sink sends its own {@code Authorization}; no
 * proxy). Here a request leases a pooled connection for its URL's route, connects it if new (with the connect timeout,
 * TLS through the same strategy), has the protocol interceptors add {@code Host}, {@code Content-Length} and
 * {@code Connection}, is exchanged by the library's {@link HttpRequestExecutor}, and the connection goes back to the
 * pool when the library's reuse strategy keeps it alive (measured in docs/performance.md, "Issue 11, sixth session").
 *
 * <p>Host names are verified by the JDK (the same checks and messages as the JDK client); the connect timeout also
 * bounds the TLS handshake; {@code timeout.request} bounds the wait for the response (each read) and for a pooled
 * connection.
 */
final class ApacheTransport implements Transport {
    private static final byte[] EMPTY = new byte[0];
    /** The lease's id, only in the library's debug log. */
    private static final String LEASE = "routemq-http-sink";

    private final PoolingHttpClientConnectionManager pool;
    private final HttpRequestExecutor exchange = new HttpRequestExecutor();
    private final HttpProcessor protocol = HttpProcessorBuilder.create()
            .add(RequestContent.INSTANCE).add(RequestTargetHost.INSTANCE).add(RequestConnControl.INSTANCE).build();
    /** The route of each URL, one entry per URL of the sink (an endpoint's URI is fixed). */
    private final Map<URI, HttpRoute> routes = new ConcurrentHashMap<>();
    private final String method;
    private final Header[] headers;
    private final Timeout connect;
    private final Timeout request;

    /**
     * @param sslContext the context for https URLs, or null for the JDK default
     * @param headers    the fixed request headers (User-Agent included), without Content-Type and Authorization
     * @param urls       the number of URLs (the pool holds {@code maxInFlight} connections for each)
     */
    ApacheTransport(HttpSinkConfig cfg, SSLContext sslContext, Map<String, String> headers, int urls) {
        this.method = cfg.method();
        this.headers = headers.entrySet().stream().map(e -> new BasicHeader(e.getKey(), e.getValue())).toArray(Header[]::new);
        this.connect = Timeout.of(cfg.timeout().connect());
        this.request = Timeout.of(cfg.timeout().request());
        TlsSocketStrategy tls = ClientTlsStrategyBuilder.create()
                .setSslContext(sslContext != null ? sslContext : defaultContext())
                .setHostVerificationPolicy(HostnameVerificationPolicy.BUILTIN)
                .buildClassic();
        this.pool = PoolingHttpClientConnectionManagerBuilder.create()
                .setTlsSocketStrategy(handshakeTimeoutAsConnectTimeout(tls))
                .setMaxConnPerRoute(cfg.maxInFlight())
                .setMaxConnTotal(cfg.maxInFlight() * urls)
                .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(connect).setSocketTimeout(request).build())
                .setDefaultTlsConfig(TlsConfig.custom().setHandshakeTimeout(connect).build())
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

    /** The route of a URL: its host with the scheme's default port filled in, direct (no proxy), secure for https. */
    private static HttpRoute route(URI uri) {
        HttpHost target = RoutingSupport.normalize(HttpHost.create(uri), DefaultSchemePortResolver.INSTANCE);
        return new HttpRoute(target, null, URIScheme.HTTPS.same(target.getSchemeName()));
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
            return exchange(routes.computeIfAbsent(uri, ApacheTransport::route), req);
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

    /**
     * Leases a connection, exchanges the request on it and gives it back: to the pool for reuse when the response was
     * read to its end and the reuse strategy keeps it alive, closed otherwise (also on any failure).
     */
    private Response exchange(HttpRoute route, BasicClassicHttpRequest req) throws IOException, InterruptedException {
        ConnectionEndpoint endpoint = lease(route);
        boolean reusable = false;
        TimeValue keepAlive = TimeValue.ZERO_MILLISECONDS;
        try {
            HttpClientContext context = HttpClientContext.create();
            if (!endpoint.isConnected()) pool.connect(endpoint, connect, context);
            protocol.process(req, req.getEntity(), context);
            try (ClassicHttpResponse resp = endpoint.execute(LEASE, req, exchange, context)) {
                Response response = read(resp);
                EntityUtils.consume(resp.getEntity());
                if (DefaultClientConnectionReuseStrategy.INSTANCE.keepAlive(req, resp, context)) {
                    reusable = true;
                    keepAlive = DefaultConnectionKeepAliveStrategy.INSTANCE.getKeepAliveDuration(resp, context);
                }
                return response;
            }
        } catch (HttpException e) {
            throw new IOException("HTTP protocol error: " + e.getMessage(), e);
        } finally {
            if (!reusable) endpoint.close(CloseMode.IMMEDIATE);
            pool.release(endpoint, null, keepAlive);
        }
    }

    private ConnectionEndpoint lease(HttpRoute route) throws IOException, InterruptedException {
        try {
            return pool.lease(LEASE, route, request, null).get(request);
        } catch (TimeoutException e) {
            throw new ConnectionRequestTimeoutException("no pooled connection to " + route.getTargetHost() + " within " + request);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException("leasing a connection to " + route.getTargetHost() + " failed", e.getCause());
        }
    }

    /** Reads what the classification needs; the rest of the body is drained after it, so the connection is reused. */
    private static Response read(ClassicHttpResponse resp) throws IOException {
        int status = resp.getCode();
        byte[] excerpt = EMPTY;
        HttpEntity entity = resp.getEntity();
        if (entity != null && (status < 200 || status > 299)) {
            InputStream in = entity.getContent();
            excerpt = in.readNBytes(ExcerptBodyHandler.LIMIT);
        }
        return new Response(status, value(resp.getFirstHeader("Retry-After")), value(resp.getFirstHeader("Location")), excerpt);
    }

    private static String value(Header h) {
        return h == null ? null : h.getValue();
    }

    @Override
    public void close() {
        pool.close(CloseMode.GRACEFUL);
    }
}
