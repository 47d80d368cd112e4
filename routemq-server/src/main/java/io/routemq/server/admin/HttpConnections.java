package io.routemq.server.admin;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The admin endpoint's HTTP/1.1 server: GET and HEAD only, one request per connection ({@code Connection: close}),
 * one virtual thread per connection.
 *
 * <p>Why not the JDK's {@code com.sun.net.httpserver}: it never times out a request that is never finished (half a
 * request line holds a connection and a thread forever). Its only remedy is the system property
 * {@code sun.net.httpserver.maxReqTime}, which is process-wide and read once, when the JDK server's classes load, so
 * it is lost whenever anything else in the process (a library, a test) started a JDK server first. A few read-only
 * endpoints need little HTTP, so this server owns its limits, per instance:
 * <ul>
 *   <li>the request head (request line and headers) must arrive within {@code requestTimeout}, else the connection
 *       is closed;</li>
 *   <li>the response must be taken within {@link #RESPONSE_TIMEOUT}, else the connection is closed;</li>
 *   <li>at most {@link #MAX_HEAD_BYTES} of request head and {@link #MAX_CONNECTIONS} open connections; beyond that a
 *       new connection is closed at once.</li>
 * </ul>
 */
final class HttpConnections implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HttpConnections.class);
    static final int MAX_HEAD_BYTES = 16 * 1024;
    static final int MAX_CONNECTIONS = 64;
    static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(30);

    /** A response: status, content type and body. */
    record Response(int status, String contentType, byte[] body) {
        static Response text(int status, String text) {
            return new Response(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Answers the request for one path. */
    @FunctionalInterface
    interface Handler {
        /**
         * @param query the request's query string as sent (after the '?', still URL-encoded), empty when none
         */
        Response handle(String query) throws Exception;
    }

    private final ServerSocket socket;
    private final Map<String, Handler> handlers;
    private final Duration requestTimeout;
    private final Semaphore connections = new Semaphore(MAX_CONNECTIONS);
    private final ScheduledExecutorService watchdog;
    private final Thread acceptor;
    private volatile boolean closed;

    HttpConnections(ServerSocket socket, Map<String, Handler> handlers, Duration requestTimeout) {
        this.socket = socket;
        this.handlers = Map.copyOf(handlers);
        this.requestTimeout = requestTimeout;
        this.watchdog = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("routemq-admin-timeouts").factory());
        this.acceptor = Thread.ofPlatform().daemon().name("routemq-admin-accept").unstarted(this::acceptLoop);
    }

    void start() {
        acceptor.start();
    }

    int port() {
        return socket.getLocalPort();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket s;
            try {
                s = socket.accept();
            } catch (IOException e) {
                if (closed) return;
                log.warn("admin HTTP: accept failed: {}", e.toString());
                try {
                    Thread.sleep(100); // e.g. out of file descriptors: do not spin
                } catch (InterruptedException ie) {
                    return;
                }
                continue;
            }
            if (!connections.tryAcquire()) {
                log.debug("admin HTTP: {} connections open, closing a new one from {}", MAX_CONNECTIONS, s.getRemoteSocketAddress());
                closeQuietly(s);
                continue;
            }
            Thread.ofVirtual().name("routemq-admin-http").start(() -> {
                try {
                    serve(s);
                } finally {
                    connections.release();
                }
            });
        }
    }

    private void serve(Socket s) {
        ScheduledFuture<?> deadline = watchdog.schedule(() -> closeQuietly(s), requestTimeout.toNanos(), TimeUnit.NANOSECONDS);
        try (s) {
            s.setSoTimeout((int) Math.max(1, requestTimeout.toMillis()));
            String head = readHead(new BufferedInputStream(s.getInputStream(), 4096));
            deadline.cancel(false);
            deadline = watchdog.schedule(() -> closeQuietly(s), RESPONSE_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS);
            OutputStream out = s.getOutputStream();
            if (head == null) {
                refuse(s, Response.text(431, "request head larger than " + MAX_HEAD_BYTES + " bytes\n"));
                return;
            }
            String[] line = head.substring(0, head.indexOf("\r\n") < 0 ? head.length() : head.indexOf("\r\n")).split(" ");
            if (line.length != 3 || !line[2].startsWith("HTTP/1.")) {
                refuse(s, Response.text(400, "bad request line\n"));
                return;
            }
            String method = line[0];
            boolean headOnly = method.equals("HEAD");
            if (!method.equals("GET") && !headOnly) {
                write(out, Response.text(405, "only GET\n"), true);
                return;
            }
            String path = line[1];
            int q = path.indexOf('?');
            String query = q >= 0 ? path.substring(q + 1) : "";
            if (q >= 0) path = path.substring(0, q);
            Handler h = handlers.getOrDefault(path, handlers.get("/"));
            Response r;
            try {
                r = h.handle(query);
            } catch (Exception e) {
                log.warn("admin HTTP: {} failed: {}", path, e.toString());
                r = Response.text(500, "internal error: " + e.getMessage() + "\n");
            }
            write(out, r, !headOnly);
        } catch (SocketTimeoutException e) {
            log.debug("admin HTTP: no complete request from {} within {} ms, closed", s.getRemoteSocketAddress(), requestTimeout.toMillis());
        } catch (SocketException e) {
            log.debug("admin HTTP: connection from {} closed: {}", s.getRemoteSocketAddress(), e.toString());
        } catch (IOException e) {
            log.debug("admin HTTP: connection from {}: {}", s.getRemoteSocketAddress(), e.toString());
        } finally {
            deadline.cancel(false);
        }
    }

    /** @return the request head up to the empty line (without it), or null when longer than the limit */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream(512);
        int state = 0; // matched bytes of "\r\n\r\n"
        while (state < 4) {
            int b = in.read();
            if (b < 0) throw new SocketException("closed before the request was complete");
            head.write(b);
            if (head.size() > MAX_HEAD_BYTES) return null;
            if (b == '\r') state = state == 2 ? 3 : 1;
            else if (b == '\n') state = state == 1 ? 2 : state == 3 ? 4 : 0;
            else state = 0;
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    /**
     * Answers a request that is not read to its end, then closes gently: closing a socket with unread input makes
     * the kernel reset the connection, and the client may then never see the answer. So the output is shut down
     * first and what the client still sends is read and dropped, for at most a second.
     */
    private static void refuse(Socket s, Response r) throws IOException {
        write(s.getOutputStream(), r, true);
        s.shutdownOutput();
        s.setSoTimeout(1000);
        InputStream in = s.getInputStream();
        byte[] sink = new byte[8192];
        long left = 1L << 20;
        try {
            int n;
            while (left > 0 && (n = in.read(sink)) >= 0) left -= n;
        } catch (SocketTimeoutException e) {
            // the client keeps the connection open: close it now
        }
    }

    private static void write(OutputStream out, Response r, boolean body) throws IOException {
        String status = r.status() + " " + reason(r.status());
        String head = "HTTP/1.1 " + status + "\r\nContent-Type: " + r.contentType() + "\r\nContent-Length: " + r.body().length
                + "\r\nConnection: close\r\nCache-Control: no-store\r\n\r\n";
        out.write(head.getBytes(StandardCharsets.ISO_8859_1));
        if (body) out.write(r.body());
        out.flush();
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 431 -> "Request Header Fields Too Large";
            case 500 -> "Internal Server Error";
            case 503 -> "Service Unavailable";
            default -> "Status " + status;
        };
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            socket.close();
        } catch (IOException e) {
            log.debug("closing the admin socket: {}", e.toString());
        }
        try {
            acceptor.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        watchdog.shutdownNow();
    }
}
