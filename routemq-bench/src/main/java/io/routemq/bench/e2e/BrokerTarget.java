package io.routemq.bench.e2e;

import io.routemq.broker.EmbeddedBroker;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;

/**
 * The broker every scenario of one bench run uses: the embedded HiveMQ CE (in this JVM, in memory, anonymous, on a
 * free loopback port) or an external broker given by URL ({@code mqtt://127.0.0.1:1883}).
 *
 * <p>The embedded broker is {@link EmbeddedBroker} with anonymous access, in memory, a free loopback port, a
 * 1,000,000-message client queue and a server receive maximum of 1024 (default 10), so that QoS 1 publishers are not
 * the limit.
 */
sealed interface BrokerTarget extends AutoCloseable {

    /** {@code mqtt://host:port}. */
    String url();

    String host();

    int port();

    /** For the report: "embedded HiveMQ CE 2025.5 (in-memory, this JVM)" or the URL. */
    String describe();

    /** Messages the broker dropped so far (queue overflow, QoS 0 limits), or -1 when unknown. */
    long dropped();

    @Override
    void close();

    /**
     * Opens the broker a {@code --broker} value names.
     *
     * @throws IllegalArgumentException if the value is neither {@code embedded} nor an {@code mqtt://host:port} URL
     * @throws IllegalStateException    if the external broker does not accept TCP connections
     */
    static BrokerTarget open(String spec) throws Exception {
        if (spec.equals("embedded")) return Embedded.start();
        URI uri;
        try {
            uri = URI.create(spec);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--broker '" + spec + "' is not a URL; use embedded or mqtt://host:port");
        }
        if (!"mqtt".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("--broker '" + spec + "': use embedded or mqtt://host:port (e.g. mqtt://127.0.0.1:1883)");
        }
        int port = uri.getPort() < 0 ? 1883 : uri.getPort();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(uri.getHost(), port), 2000);
        } catch (IOException e) {
            throw new IllegalStateException("--broker " + spec + ": nothing accepts connections at " + uri.getHost() + ":" + port
                    + " (" + e.getMessage() + "); start the broker or use --broker embedded");
        }
        return new External(uri.getHost(), port);
    }

    /** An external broker. */
    record External(String host, int port) implements BrokerTarget {
        @Override
        public String url() {
            return "mqtt://" + host + ":" + port;
        }

        @Override
        public String describe() {
            return "external broker " + url();
        }

        @Override
        public long dropped() {
            return -1;
        }

        @Override
        public void close() {
        }
    }

    /** RouteMQ's embedded broker (HiveMQ CE) in this JVM. */
    final class Embedded implements BrokerTarget {
        private final EmbeddedBroker broker;

        private Embedded(EmbeddedBroker broker) {
            this.broker = broker;
        }

        static Embedded start() {
            EmbeddedBroker b = EmbeddedBroker.builder().bindAddress("127.0.0.1").port(0).inMemory().allowAnonymous(true)
                    .configure(c -> c.serverReceiveMaximum(1024).maxQueuedMessages(1_000_000)).build();
            b.start();
            return new Embedded(b);
        }

        @Override
        public String url() {
            return "mqtt://127.0.0.1:" + port();
        }

        @Override
        public String host() {
            return "127.0.0.1";
        }

        @Override
        public int port() {
            return broker.tcpPort();
        }

        @Override
        public String describe() {
            return "embedded broker (io.routemq.broker.EmbeddedBroker, HiveMQ CE, in-memory, in the bench JVM, 127.0.0.1:" + port()
                    + ", serverReceiveMaximum 1024, maxQueuedMessages 1,000,000)";
        }

        @Override
        public long dropped() {
            return broker.stats().droppedMessages();
        }

        @Override
        public void close() {
            broker.close();
        }
    }
}
