package io.routemq.sink.http.internal;

import io.routemq.sink.http.HttpSinkConfig;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * {@link Transport} on the JDK {@code java.net.http.HttpClient}: the sink's client for {@code version: HTTP_2} (ALPN
 * on https, falling back to HTTP/1.1; an h2c upgrade offer on plain http), which the HTTP/1.1 {@link ApacheTransport}
 * does not speak.
 */
final class JdkTransport implements Transport {
    private final HttpClient client;
    private final HttpSinkConfig cfg;
    private final Map<String, String> headers;

    /** @param headers the fixed request headers (User-Agent included), without Content-Type and Authorization */
    JdkTransport(HttpSinkConfig cfg, SSLContext sslContext, Map<String, String> headers) {
        this.cfg = cfg;
        this.headers = headers;
        HttpClient.Builder b = HttpClient.newBuilder()
                .version(cfg.version())
                .connectTimeout(cfg.timeout().connect())
                .followRedirects(HttpClient.Redirect.NEVER);
        if (sslContext != null) b.sslContext(sslContext);
        this.client = b.build();
    }

    @Override
    public Response send(URI uri, byte[] body, int length, String contentType, String authorization)
            throws IOException, InterruptedException {
        HttpRequest.Builder rb = HttpRequest.newBuilder(uri)
                .timeout(cfg.timeout().request())
                .method(cfg.method(), HttpRequest.BodyPublishers.ofByteArray(body, 0, length));
        headers.forEach(rb::header);
        rb.header("Content-Type", contentType);
        if (authorization != null) rb.header("Authorization", authorization);
        HttpResponse<byte[]> resp = client.send(rb.build(), ExcerptBodyHandler.INSTANCE);
        return new Response(resp.statusCode(), resp.headers().firstValue("Retry-After").orElse(null),
                resp.headers().firstValue("Location").orElse(null), resp.body());
    }

    @Override
    public void close() {
        client.shutdown();
        try {
            if (!client.awaitTermination(Duration.ofSeconds(5))) client.shutdownNow();
        } catch (InterruptedException e) {
            client.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
