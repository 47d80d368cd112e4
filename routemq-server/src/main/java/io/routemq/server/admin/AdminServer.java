package io.routemq.server.admin;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The admin HTTP endpoint: {@code GET /health} (200 when up, 503 when not, with a JSON body) and
 * {@code GET /metrics} (Prometheus text format).
 *
 * <p>Built on the JDK's {@code com.sun.net.httpserver} with a virtual-thread executor: two read-only endpoints need
 * no web framework, and it adds no dependency. A dashboard that needs more would move to Javalin.
 */
public final class AdminServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AdminServer.class);

    private final HttpServer server;
    private final ExecutorService executor;

    private AdminServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Starts the admin server.
     *
     * @param bind    the address to bind
     * @param port    the port (0 for any free port)
     * @throws IllegalStateException naming the address when the port is taken
     */
    public static AdminServer start(String bind, int port, PrometheusMeterRegistry registry, Supplier<HealthReport> health) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(bind, port), 64);
        } catch (BindException e) {
            throw new IllegalStateException("admin HTTP port " + bind + ":" + port + " is already in use; set admin.port to a "
                    + "free port (or 0 for any) or admin.enabled: false", e);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the admin HTTP server on " + bind + ":" + port + ": " + e.getMessage(), e);
        }
        ObjectMapper json = JsonMapper.builder().build();
        server.createContext("/metrics", ex -> {
            if (!get(ex)) return;
            respond(ex, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape().getBytes(StandardCharsets.UTF_8));
        });
        server.createContext("/health", ex -> {
            if (!get(ex)) return;
            HealthReport report = health.get();
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", report.up() ? "UP" : "DOWN");
            body.putAll(report.details());
            respond(ex, report.up() ? 200 : 503, "application/json", json.writeValueAsBytes(body));
        });
        server.createContext("/", ex -> respond(ex, 404, "text/plain", "not found: try /health or /metrics\n".getBytes(StandardCharsets.UTF_8)));
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        server.start();
        log.info("admin HTTP on http://{}:{} (/health, /metrics)", bind, server.getAddress().getPort());
        return new AdminServer(server, executor);
    }

    private static boolean get(HttpExchange ex) throws IOException {
        if ("GET".equals(ex.getRequestMethod()) || "HEAD".equals(ex.getRequestMethod())) return true;
        respond(ex, 405, "text/plain", "only GET\n".getBytes(StandardCharsets.UTF_8));
        return false;
    }

    private static void respond(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    /** The port it listens on. */
    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
