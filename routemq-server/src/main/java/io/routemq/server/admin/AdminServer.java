package io.routemq.server.admin;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The admin HTTP endpoint: {@code GET /health} and {@code GET /ready} (200 when up or ready, 503 when not, with a
 * JSON body that says why) and {@code GET /metrics} (Prometheus text format; {@code ?name[]=...} selects metrics by
 * name).
 *
 * <p>Served by a small HTTP/1.1 server of our own ({@link HttpConnections}): a few read-only endpoints need little
 * HTTP, and unlike the JDK's {@code com.sun.net.httpserver} it times out requests that never finish without a
 * process-wide system property. A dashboard that needs more would move to Javalin.
 */
public final class AdminServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AdminServer.class);

    /** How long a client may take to send its request line and headers before the connection is closed. */
    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    /** The Prometheus text format's content type. */
    private static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    /** What the text format appends to a family's name in its samples' names. */
    private static final String[] SAMPLE_SUFFIXES = {"_total", "_count", "_sum", "_bucket", "_max", "_created", "_info"};

    private final HttpConnections server;

    private AdminServer(HttpConnections server) {
        this.server = server;
    }

    /**
     * Starts the admin server with the default {@link #REQUEST_TIMEOUT}.
     *
     * @param bind   the address to bind
     * @param port   the port (0 for any free port)
     * @param health {@code /health}
     * @param ready  {@code /ready}
     * @throws IllegalStateException naming the address when the port is taken
     */
    public static AdminServer start(String bind, int port, PrometheusMeterRegistry registry, Supplier<HealthReport> health,
                                    Supplier<HealthReport> ready) {
        return start(bind, port, registry, health, ready, REQUEST_TIMEOUT);
    }

    /**
     * Starts the admin server.
     *
     * @param requestTimeout how long a client may take to send a complete request head
     * @throws IllegalStateException naming the address when the port is taken
     */
    public static AdminServer start(String bind, int port, PrometheusMeterRegistry registry, Supplier<HealthReport> health,
                                    Supplier<HealthReport> ready, Duration requestTimeout) {
        ServerSocket socket;
        try {
            socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(bind), port), 64);
        } catch (BindException e) {
            throw new IllegalStateException("admin HTTP port " + bind + ":" + port + " is already in use; set admin.port to a "
                    + "free port (or 0 for any) or admin.enabled: false", e);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the admin HTTP server on " + bind + ":" + port + ": " + e.getMessage(), e);
        }
        ObjectMapper json = JsonMapper.builder().build();
        Map<String, HttpConnections.Handler> handlers = new LinkedHashMap<>();
        handlers.put("/metrics", query -> metrics(registry, query));
        handlers.put("/health", query -> report(json, health.get(), "UP", "DOWN"));
        handlers.put("/ready", query -> report(json, ready.get(), "READY", "NOT_READY"));
        handlers.put("/", query -> HttpConnections.Response.text(404, "not found: try /health, /ready or /metrics\n"));
        HttpConnections server = new HttpConnections(socket, handlers, requestTimeout);
        server.start();
        log.info("admin HTTP on http://{}:{} (/health, /ready, /metrics)", bind, server.port());
        return new AdminServer(server);
    }

    /**
     * {@code /metrics}: every meter, or with {@code ?name[]=routemq_sink_delivered_total&name[]=...} (the Prometheus
     * client's filter) only the metric families of those names (a sample's name, as printed, or its family's). It
     * shortens the answer, not the work: Micrometer collects every meter and filters after (about 1 ms either way).
     */
    private static HttpConnections.Response metrics(PrometheusMeterRegistry registry, String query) {
        Set<String> names = new LinkedHashSet<>();
        for (String part : query.split("&")) {
            if (part.isEmpty()) continue;
            int eq = part.indexOf('=');
            String key;
            String value;
            try {
                key = URLDecoder.decode(eq < 0 ? part : part.substring(0, eq), StandardCharsets.UTF_8);
                value = eq < 0 ? "" : URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return HttpConnections.Response.text(400, "bad query '" + part + "': " + e.getMessage() + "\n");
            }
            if (!key.equals("name[]")) {
                return HttpConnections.Response.text(400, "unknown query parameter '" + key
                        + "'; /metrics takes only name[]=<metric name>\n");
            }
            if (value.isEmpty()) {
                return HttpConnections.Response.text(400, "name[] needs a metric name, e.g. name[]=routemq_messages_total\n");
            }
            names.add(value);
            // the registry selects families (routemq_messages); a sample's name (routemq_messages_total) selects its family
            for (String suffix : SAMPLE_SUFFIXES) {
                if (value.endsWith(suffix) && value.length() > suffix.length()) {
                    names.add(value.substring(0, value.length() - suffix.length()));
                }
            }
        }
        String text = names.isEmpty() ? registry.scrape(CONTENT_TYPE) : registry.scrape(CONTENT_TYPE, names);
        return new HttpConnections.Response(200, CONTENT_TYPE, text.getBytes(StandardCharsets.UTF_8));
    }

    private static HttpConnections.Response report(ObjectMapper json, HealthReport report, String up, String down) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", report.up() ? up : down);
        body.putAll(report.details());
        return new HttpConnections.Response(report.up() ? 200 : 503, "application/json", json.writeValueAsBytes(body));
    }

    /** The port it listens on. */
    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.close();
    }
}
