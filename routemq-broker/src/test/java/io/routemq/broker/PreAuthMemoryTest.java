package io.routemq.broker;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * What a client that has not logged in can make the broker hold. Raw sockets send a CONNECT fixed header that claims
 * 255 MB, push as much as the broker takes, then trickle bytes: with the default {@code maxPacketSize} (1 MB) the
 * broker refuses the CONNECT after reading its first bytes and closes the connection, and its memory does not grow.
 */
class PreAuthMemoryTest {

    private static final int SOCKETS = 4;
    private static final int CLAIMED = 255 << 20;
    private static final int BULK = 32 << 20;
    /** Used heap may grow by at most this: a few maxPacketSize buffers per socket plus measurement noise. */
    private static final long BOUND = 24L << 20;

    @Test
    void aHugeClaimedConnectIsRefusedBeforeItIsBufferedAndLogged() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger("io.routemq.broker.limits");
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try (EmbeddedBroker broker = EmbeddedBroker.builder().port(0).inMemory().user("u", "p").build()) {
            broker.start();
            assertThat(broker.config().maxPacketSize()).isEqualTo(BrokerConfig.DEFAULT_MAX_PACKET_SIZE);
            long heapBefore = usedHeapAfterGc();
            long directBefore = nettyDirect();
            long rssBefore = rss();
            long t0 = System.nanoTime();
            List<Socket> sockets = new ArrayList<>();
            List<Long> accepted = new ArrayList<>();
            try {
                for (int i = 0; i < SOCKETS; i++) {
                    Socket s = new Socket();
                    s.connect(new InetSocketAddress("127.0.0.1", broker.tcpPort()), 5_000);
                    s.setSoTimeout(200);
                    sockets.add(s);
                    accepted.add(sendBulk(s, CLAIMED, BULK));
                }
                long heapDuring = usedHeapAfterGc();
                long directDuring = nettyDirect();
                long rssDuring = rss();
                // then trickle: one byte every 100 ms until the broker closes the connection (at most 15 s)
                List<Boolean> closed = new ArrayList<>();
                for (Socket s : sockets) {
                    closed.add(trickleUntilClosed(s, System.nanoTime() + TimeUnit.SECONDS.toNanos(15)));
                }
                long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                long growth = (heapDuring + directDuring) - (heapBefore + directBefore);
                System.out.printf("pre-auth: %d sockets claiming %d MB each; each wrote %s bytes before its writes"
                                + " failed; used heap after GC %d MB before, %d MB while connected; Netty direct memory"
                                + " %d MB before, %d MB while connected; heap + direct grew %d MB (bound %d MB);"
                                + " RSS %d MB before, %d MB while connected; all closed in %d ms%n",
                        SOCKETS, CLAIMED >> 20, accepted, heapBefore >> 20, heapDuring >> 20, directBefore >> 20,
                        directDuring >> 20, growth >> 20, BOUND >> 20, rssBefore >> 20, rssDuring >> 20, ms);
                assertThat(closed).containsOnly(true);
                assertThat(growth).isLessThan(BOUND);
            } finally {
                for (Socket s : sockets) {
                    s.close();
                }
            }
        } finally {
            logger.detachAppender(appender);
        }
        assertThat(appender.list).anySatisfy(e -> assertThat(e.getFormattedMessage())
                .contains("Refused a CONNECT from 127.0.0.1 before login: it claims more bytes than broker.maxPacketSize"));
    }

    /**
     * A CONNECT just under the limit, sent but for its last bytes, then trickled: HiveMQ buffers it (at most
     * maxPacketSize per connection) and closes the connection when no complete CONNECT came within 10s.
     */
    @Test
    void aConnectUnderTheLimitIsHeldAtMostTenSeconds() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger("io.routemq.broker.limits");
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        int claimed = (int) BrokerConfig.DEFAULT_MAX_PACKET_SIZE - 16;
        try (EmbeddedBroker broker = EmbeddedBroker.builder().port(0).inMemory().user("u", "p").build()) {
            broker.start();
            long heapBefore = usedHeapAfterGc();
            long directBefore = nettyDirect();
            long t0 = System.nanoTime();
            List<Socket> sockets = new ArrayList<>();
            try {
                for (int i = 0; i < SOCKETS; i++) {
                    Socket s = new Socket();
                    s.connect(new InetSocketAddress("127.0.0.1", broker.tcpPort()), 5_000);
                    s.setSoTimeout(200);
                    sockets.add(s);
                    assertThat(sendBulk(s, claimed, claimed - 64)).isEqualTo(claimed - 64);
                }
                long heapDuring = usedHeapAfterGc();
                long directDuring = nettyDirect();
                List<Boolean> closed = new ArrayList<>();
                for (Socket s : sockets) {
                    closed.add(trickleUntilClosed(s, System.nanoTime() + TimeUnit.SECONDS.toNanos(20)));
                }
                long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                long growth = (heapDuring + directDuring) - (heapBefore + directBefore);
                System.out.printf("pre-auth: %d sockets each holding a %d-byte CONNECT short of its last 64 bytes;"
                                + " heap + Netty direct grew %d MB (heap %d -> %d MB, direct %d -> %d MB; bound %d MB);"
                                + " all closed after %d ms of trickling%n", SOCKETS, claimed, growth >> 20,
                        heapBefore >> 20, heapDuring >> 20, directBefore >> 20, directDuring >> 20, BOUND >> 20, ms);
                assertThat(closed).containsOnly(true);
                assertThat(growth).isLessThan(BOUND);
            } finally {
                for (Socket s : sockets) {
                    s.close();
                }
            }
        } finally {
            logger.detachAppender(appender);
        }
        assertThat(appender.list).anySatisfy(e -> assertThat(e.getFormattedMessage())
                .contains("no complete CONNECT within 10s"));
    }

    /** Sends a CONNECT fixed header claiming {@code claimed} bytes and up to {@code bulk} bytes of it. */
    private static long sendBulk(Socket s, int claimed, int bulk) {
        long sent = 0;
        try {
            OutputStream out = s.getOutputStream();
            byte[] header = {0x10, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x7F, 0, 4, 'M', 'Q', 'T', 'T', 5};
            header[1] = (byte) (0x80 | (claimed & 0x7F));
            header[2] = (byte) (0x80 | ((claimed >> 7) & 0x7F));
            header[3] = (byte) (0x80 | ((claimed >> 14) & 0x7F));
            header[4] = (byte) ((claimed >> 21) & 0x7F);
            out.write(header);
            out.flush();
            sent = header.length;
            byte[] chunk = new byte[64 << 10];
            while (sent < bulk) {
                int n = (int) Math.min(chunk.length, bulk - sent);
                out.write(chunk, 0, n);
                sent += n;
            }
        } catch (IOException e) {
            // the broker closed the connection: what it accepted is what was sent before
        }
        return sent;
    }

    private static boolean trickleUntilClosed(Socket s, long deadline) throws InterruptedException {
        try {
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            while (System.nanoTime() < deadline) {
                try {
                    int b;
                    while ((b = in.read()) >= 0) {
                        // a CONNACK (packet too large) may come first; read on until the end of the stream
                        if (b < 0) {
                            break;
                        }
                    }
                    return true;
                } catch (SocketTimeoutException open) {
                    out.write(0);
                    out.flush();
                }
            }
            return false;
        } catch (IOException e) {
            return true; // reset or broken pipe: closed by the broker
        }
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        var memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return memory.getHeapMemoryUsage().getUsed();
    }

    /**
     * @return direct memory Netty has allocated (HiveMQ buffers incoming bytes there, not on the heap): its own counter
     * when it allocates without cleaners, else the JVM's direct buffer pool
     */
    private static long nettyDirect() {
        long counted = io.netty.util.internal.PlatformDependent.usedDirectMemory();
        if (counted >= 0) {
            return counted;
        }
        return ManagementFactory.getPlatformMXBeans(java.lang.management.BufferPoolMXBean.class).stream()
                .filter(b -> b.getName().equals("direct")).mapToLong(java.lang.management.BufferPoolMXBean::getMemoryUsed)
                .sum();
    }

    /** @return the resident set size of this process, or 0 where /proc is missing */
    private static long rss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) << 10;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }
}
