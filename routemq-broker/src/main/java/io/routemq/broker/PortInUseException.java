package io.routemq.broker;

/**
 * A listener port is already taken by another process (often a Mosquitto on 1883).
 */
public class PortInUseException extends BrokerException {
    private static final long serialVersionUID = 1L;

    private final String listener;
    private final String address;
    private final int port;

    /**
     * @param listener the listener kind (e.g. {@code TCP}, {@code WebSocket}, {@code TLS})
     * @param address  the bind address
     * @param port     the port that is in use
     * @param key      the config key that sets the port (e.g. {@code broker.port})
     * @param cause    the bind error, may be {@code null}
     */
    public PortInUseException(String listener, String address, int port, String key, Throwable cause) {
        super("Cannot start the broker's " + listener + " listener: port " + port + " on " + address
                + " is already in use by another process (a Mosquitto or another broker?). Stop that process, or set "
                + key + " (--" + cliOption(key) + ") to a free port, or to 0 to pick one.", cause);
        this.listener = listener;
        this.address = address;
        this.port = port;
    }

    private static String cliOption(String key) {
        return switch (key) {
            case "broker.wsPort" -> "ws-port";
            case "broker.tls.port" -> "tls-port";
            default -> "port";
        };
    }

    /** @return the listener kind */
    public String listener() {
        return listener;
    }

    /** @return the bind address */
    public String address() {
        return address;
    }

    /** @return the port that is in use */
    public int port() {
        return port;
    }
}
