package io.routemq.sink.http.internal;

import java.io.IOException;
import java.net.URI;

/**
 * The HTTP client behind the {@link Deliverer}: sends one request and reads what the classification needs. Two
 * implementations: {@link ApacheTransport} (HTTP/1.1, the default: about a third of the JDK client's CPU per request,
 * see docs/performance.md "The HTTP sink's per-request cost") and {@link JdkTransport} (the JDK {@code HttpClient},
 * for {@code version: HTTP_2}).
 *
 * <p>Failures are reported in the JDK client's terms, which {@link Classifier#describe} reads: a connect or TLS
 * handshake timeout as {@link java.net.http.HttpConnectTimeoutException}, no response within {@code timeout.request}
 * as {@link java.net.http.HttpTimeoutException}, any other failure as the {@link IOException} it is.
 */
interface Transport extends AutoCloseable {

    /**
     * One response.
     *
     * @param status     the status code
     * @param retryAfter the Retry-After header, or null
     * @param location   the Location header, or null
     * @param excerpt    the first {@link ExcerptBodyHandler#LIMIT} bytes of a non-2xx body (empty for 2xx)
     */
    record Response(int status, String retryAfter, String location, byte[] excerpt) {
    }

    /**
     * Sends one request with the sink's fixed headers, {@code Content-Type} and, when not null, {@code Authorization}.
     * The body is the first {@code length} bytes of {@code body} (a batch is encoded into a buffer a little larger
     * than it, which is sent as it is, not copied).
     */
    Response send(URI uri, byte[] body, int length, String contentType, String authorization)
            throws IOException, InterruptedException;

    /** Closes the client (waits up to 5 s for requests in flight). */
    @Override
    void close();
}
