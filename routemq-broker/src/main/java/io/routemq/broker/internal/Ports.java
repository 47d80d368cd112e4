package io.routemq.broker.internal;

import io.routemq.broker.BrokerConfigException;
import io.routemq.broker.BrokerException;
import io.routemq.broker.PortInUseException;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;

/** Port checks of the broker's listeners, before HiveMQ starts. */
public final class Ports {

    private Ports() {
    }

    /**
     * Checks that a listener's port is free (and the bind address is this machine's) before HiveMQ starts.
     *
     * @param bind  bind address
     * @param port  the configured port, 0 for a free one
     * @param kind  TCP, WebSocket or TLS, for messages
     * @param key   the config key of the port, for messages
     * @param taken ports of this broker's other listeners; the resolved port is added
     * @return the port to use
     * @throws PortInUseException    if it is taken
     * @throws BrokerConfigException if it is another listener's, or the bind address is not this machine's
     */
    public static int resolve(InetAddress bind, int port, String kind, String key, List<Integer> taken) {
        if (port != 0 && taken.contains(port)) {
            throw new BrokerConfigException(key + " " + port + " is already used by another listener of this broker."
                    + " Give each listener its own port.");
        }
        int resolved;
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(bind, port));
            resolved = probe.getLocalPort();
        } catch (BindException e) {
            if (String.valueOf(e.getMessage()).contains("assign requested address")) {
                throw new BrokerConfigException("broker.bind " + bind.getHostAddress()
                        + " is not an address of this machine. Use 127.0.0.1 or 0.0.0.0.", e);
            }
            if (port == 0) {
                throw new BrokerException("Cannot find a free port on " + bind.getHostAddress() + " for the " + kind
                        + " listener: " + e.getMessage() + ". Check broker.bind.", e);
            }
            throw new PortInUseException(kind, bind.getHostAddress(), port, key, e);
        } catch (IOException e) {
            throw new BrokerException("Cannot check port " + port + " on " + bind.getHostAddress() + ": " + e, e);
        }
        taken.add(resolved);
        return resolved;
    }
}
