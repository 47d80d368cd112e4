package io.routemq.mqtt;

import io.routemq.core.Dispatcher;
import io.routemq.core.Router;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

/**
 * The child JVM of {@link ProcessKillTest}: a persistent session whose handler appends each message id to a file and
 * only then returns (so the message is acknowledged after it was recorded). Arguments: broker URL, output file.
 */
public final class KillChild {
    private KillChild() {
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        Path out = Path.of(args[1]);
        FileChannel ch = FileChannel.open(out, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        SessionManager sessions = new SessionManager();
        sessions.add(SessionConfig.builder(url).clientId("kill-sub").persistentSession(Duration.ofHours(1)).maxInFlight(32).build());
        Router router = Router.create();
        router.on("kill/{lane}", ctx -> {
            Thread.sleep(10);
            synchronized (ch) {
                ch.write(ByteBuffer.wrap((new String(ctx.payload(), StandardCharsets.US_ASCII) + "\n").getBytes(StandardCharsets.US_ASCII)));
            }
        }).qos(1);
        Dispatcher d = Dispatcher.builder(router.build()).publisher(sessions).maxInFlight(32).build();
        MqttApplication app = MqttApplication.builder(sessions).dispatcher(d).build();
        app.start();
        app.awaitReady(Duration.ofSeconds(30));
        Thread.sleep(Long.MAX_VALUE);
    }
}
