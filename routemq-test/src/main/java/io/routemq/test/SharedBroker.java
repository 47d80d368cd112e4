package io.routemq.test;

import io.routemq.broker.EmbeddedBroker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded broker every test class of a run shares. It lives in JUnit's root store, so it is started by the
 * first class that needs it and stopped when the whole run ends.
 */
final class SharedBroker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RouteMqTester.class);

    private final EmbeddedBroker broker;

    private SharedBroker(EmbeddedBroker broker) {
        this.broker = broker;
    }

    /** Starts an in-memory broker on a free loopback port, anonymous access allowed. */
    static SharedBroker start() {
        long t0 = System.nanoTime();
        EmbeddedBroker broker = EmbeddedBroker.builder().bindAddress("127.0.0.1").port(0).wsPort(-1).inMemory()
                .allowAnonymous(true).build();
        broker.start();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        log.info("routemq-test: embedded broker started on {} in {} ms; it is shared by every test class of this run", broker.tcpUri(), ms);
        return new SharedBroker(broker);
    }

    String url() {
        return broker.tcpUri();
    }

    @Override
    public void close() {
        broker.close();
        log.info("routemq-test: embedded broker stopped");
    }
}
