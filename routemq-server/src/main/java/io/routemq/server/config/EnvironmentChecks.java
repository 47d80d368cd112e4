package io.routemq.server.config;

import io.routemq.config.Locator;
import io.routemq.config.Node;
import io.routemq.config.Problems;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What {@code routemq check} tests of the machine it runs on, as warnings (the file may be meant for another machine):
 * a configured port that is already in use (the admin server, the embedded broker's TCP, WebSocket and TLS
 * listeners), and a directory that is not writable or cannot be created (the queue, the broker's data). Nothing is
 * created or kept open: a port is probed by binding and closing it at once.
 */
final class EnvironmentChecks {
    private EnvironmentChecks() {
    }

    static void warn(GatewayConfig c, Node root, Problems p) {
        if (c.admin().enabled()) port(root, p, "admin.port", c.admin().bind(), c.admin().port(), "the admin server");
        if (c.embeddedBrokerEnabled()) {
            io.routemq.broker.BrokerConfig b = c.broker().config();
            port(root, p, "broker.port", b.bindAddress(), b.port(), "the embedded broker");
            if (b.wsEnabled()) port(root, p, "broker.wsPort", b.bindAddress(), b.wsPort(), "the embedded broker's WebSocket listener");
            if (b.tls() != null) port(root, p, "broker.tls.port", b.bindAddress(), b.tls().port(), "the embedded broker's TLS listener");
            if (b.persistence() == io.routemq.broker.BrokerConfig.Persistence.FILE) directory(root, p, "broker.dataDir", b.dataDir());
        }
        if (!c.activeRoutes().isEmpty() || !c.sinks().isEmpty()) directory(root, p, "queue.dir", c.queue().dir());
    }

    private static void port(Node root, Problems p, String key, String bind, int port, String what) {
        if (port <= 0) return;
        String why = portInUse(bind, port);
        if (why != null && !why.startsWith("is already")) {
            // not a port problem: the address is not one of this machine's
            String bindKey = key.substring(0, key.indexOf('.')) + ".bind";
            if (p.warnings().stream().anyMatch(w -> w.contains(" " + bindKey + ": "))) return; // once per address
            p.warn(Locator.find(root, bindKey), bindKey, "'" + bind + "': cannot listen there (" + why.substring(why.indexOf('(') + 1)
                    + ": 'routemq run' cannot start " + what + " (use an address of this machine, e.g. 127.0.0.1 or 0.0.0.0)");
        } else if (why != null) {
            p.warn(Locator.find(root, key), key, "port " + port + " on " + bind + " " + why + ": 'routemq run' cannot start "
                    + what + " there (stop what uses it, or choose another port)");
        }
    }

    /** Why the port cannot be listened on, or null when it can. */
    static String portInUse(String bind, int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getByName(bind), port));
            return null;
        } catch (java.net.BindException e) {
            // "Address already in use", or "Cannot assign requested address" (not an address of this machine)
            String m = String.valueOf(e.getMessage());
            return m.toLowerCase(java.util.Locale.ROOT).contains("in use") ? "is already in use" : "cannot be listened on (" + m + ")";
        } catch (IOException | SecurityException e) {
            return "cannot be listened on (" + e.getMessage() + ")";
        }
    }

    private static void directory(Node root, Problems p, String key, Path dir) {
        String why = unwritable(dir);
        if (why != null) {
            p.warn(Locator.find(root, key), key, "'" + dir + "' " + why + ": 'routemq run' refuses to start "
                    + "(choose a writable directory, or fix its permissions)");
        }
    }

    /** Why the directory cannot be used, or null: it is a writable directory, or can be created as one. */
    static String unwritable(Path dir) {
        Path abs = dir.toAbsolutePath().normalize();
        if (Files.isDirectory(abs)) return Files.isWritable(abs) ? null : "is not writable by this user";
        if (Files.exists(abs)) return "is a file, not a directory";
        Path parent = abs.getParent();
        while (parent != null && !Files.exists(parent)) parent = parent.getParent();
        if (parent == null) return "cannot be created";
        if (!Files.isDirectory(parent)) return "cannot be created: " + parent + " is a file";
        return Files.isWritable(parent) ? null : "cannot be created: " + parent + " is not writable by this user";
    }
}
