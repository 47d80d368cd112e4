package io.routemq.examples.fleet;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The machine's services the tests use when they are there: a test that needs one is skipped with the reason. */
public final class Services {
    /** The PostgreSQL of the machine: database test, user postgres (trust). */
    public static final String POSTGRES_URL = "jdbc:postgresql://127.0.0.1:5432/test";
    /** The MariaDB of the machine: database test, user root without password. */
    public static final String MARIADB_URL = "jdbc:mariadb://127.0.0.1:3306/test";
    /** The Redis of the machine. */
    public static final String REDIS_URI = "redis://127.0.0.1:6379";

    private Services() {
    }

    /** Skips the test, with the reason, when nothing listens on 127.0.0.1:{@code port}. */
    public static void assume(String what, int port) {
        String why = unreachable(port);
        assumeTrue(why == null, () -> "no " + what + " on 127.0.0.1:" + port + " (" + why + "): start it to run this test");
    }

    /** Whether something listens on 127.0.0.1:{@code port}. */
    public static boolean reachable(int port) {
        return unreachable(port) == null;
    }

    private static String unreachable(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return null;
        } catch (IOException e) {
            return String.valueOf(e.getMessage());
        }
    }
}
