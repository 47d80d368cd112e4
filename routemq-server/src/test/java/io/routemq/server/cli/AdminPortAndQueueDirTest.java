package io.routemq.server.cli;

import io.routemq.server.config.GatewayConfig;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.routemq.server.cli.RouteMqCliTest.resource;
import static io.routemq.server.cli.RouteMqCliTest.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin port and the queue directory of any config format, the Go middleware's JSON included (it has no key
 * for either): {@code ROUTEMQ_ADMIN_PORT} and {@code ROUTEMQ_QUEUE_DIR}, and {@code run --admin-port} and
 * {@code --queue-dir}, which win over them. The Go format's own default queue directory keeps it apart from the
 * demo's.
 */
class AdminPortAndQueueDirTest {

    /** Dead-letter commands that keep the config they were given. */
    static final class RecordingDeadLetters implements DeadLetterCommands {
        GatewayConfig config;

        @Override
        public int list(GatewayConfig config, String sink, int limit, PrintWriter out) {
            this.config = config;
            return 0;
        }

        @Override
        public int show(GatewayConfig config, String sink, String id, PrintWriter out) {
            return 0;
        }

        @Override
        public int replay(GatewayConfig config, String sink, List<String> ids, boolean all, PrintWriter out) {
            return 0;
        }

        @Override
        public int purge(GatewayConfig config, String sink, List<String> ids, boolean all, PrintWriter out) {
            return 0;
        }
    }

    @Test
    void theGoFormatHasAQueueDirectoryOfItsOwn() throws Exception {
        RouteMqCliTest.RecordingLauncher go = new RouteMqCliTest.RecordingLauncher();
        assertThat(run(new RouteMqCli(go, null, Map.of()), "run", "--config", resource("go-example.json")).code()).isZero();
        RouteMqCliTest.RecordingLauncher demo = new RouteMqCliTest.RecordingLauncher();
        assertThat(run(new RouteMqCli(demo, null, Map.of()), "run").code()).isZero();

        assertThat(demo.config.queue().dir()).isEqualTo(GatewayConfig.defaultQueue().dir()).isEqualTo(Path.of("./data/queue"));
        assertThat(go.config.queue().dir()).isEqualTo(Path.of("./data/go-middleware/queue"));
        assertThat(go.config.queue().dir().normalize()).isNotEqualTo(demo.config.queue().dir().normalize());
    }

    @Test
    void environmentVariablesSetThePortAndTheDirectoryOfTheGoFormat() throws Exception {
        Map<String, String> env = Map.of("ROUTEMQ_ADMIN_PORT", "9191", "ROUTEMQ_QUEUE_DIR", "/var/lib/routemq/go");
        RouteMqCliTest.RecordingLauncher launcher = new RouteMqCliTest.RecordingLauncher();
        RecordingDeadLetters dlq = new RecordingDeadLetters();
        RouteMqCli cli = new RouteMqCli(launcher, dlq, env);

        assertThat(run(cli, "run", "--config", resource("go-example.json")).code()).isZero();
        assertThat(launcher.config.admin().port()).isEqualTo(9191);
        assertThat(launcher.config.queue().dir()).isEqualTo(Path.of("/var/lib/routemq/go"));

        // dlq reads the same queue
        assertThat(run(cli, "dlq", "list", "--config", resource("go-example.json")).code()).isZero();
        assertThat(dlq.config.queue().dir()).isEqualTo(Path.of("/var/lib/routemq/go"));

        RouteMqCliTest.Run check = run(cli, "check", "--config", resource("go-example.json"));
        assertThat(check.code()).isZero();
        assertThat(check.out()).contains("environment: admin.port 9191 from ROUTEMQ_ADMIN_PORT",
                "environment: queue.dir /var/lib/routemq/go from ROUTEMQ_QUEUE_DIR");
    }

    @Test
    void runOptionsWinOverTheVariablesAndTheFile() throws Exception {
        RouteMqCliTest.RecordingLauncher launcher = new RouteMqCliTest.RecordingLauncher();
        RouteMqCli cli = new RouteMqCli(launcher, null, Map.of("ROUTEMQ_ADMIN_PORT", "9191", "ROUTEMQ_QUEUE_DIR", "/from/env"));
        assertThat(run(cli, "run", "--config", resource("go-example.json"), "--admin-port", "0", "--queue-dir", "./data/go-2").code()).isZero();
        assertThat(launcher.config.admin().port()).isZero();
        assertThat(launcher.config.queue().dir()).isEqualTo(Path.of("./data/go-2"));

        // the demo (RouteMQ's format, admin.port 9090 and queue.dir ./data/queue in the file) too
        assertThat(run(new RouteMqCli(launcher, null, Map.of()), "run", "--admin-port", "9092", "--queue-dir", "/tmp/demo-2").code()).isZero();
        assertThat(launcher.config.admin().port()).isEqualTo(9092);
        assertThat(launcher.config.queue().dir()).isEqualTo(Path.of("/tmp/demo-2"));
    }

    @Test
    void badValuesNameTheVariableOrTheOption() throws Exception {
        RouteMqCliTest.RecordingLauncher launcher = new RouteMqCliTest.RecordingLauncher();
        RouteMqCliTest.Run env = run(new RouteMqCli(launcher, null, Map.of("ROUTEMQ_ADMIN_PORT", "nine")), "run", "--config", resource("go-example.json"));
        assertThat(env.code()).isEqualTo(1);
        assertThat(env.err()).contains("environment ROUTEMQ_ADMIN_PORT 'nine': not a port number (set a number from 0 to 65535; 0 picks a free port)");

        RouteMqCliTest.Run option = run(new RouteMqCli(launcher, null, Map.of()), "run", "--admin-port", "70000");
        assertThat(option.code()).isEqualTo(2);
        assertThat(option.err()).contains("--admin-port 70000 is not a port number");
        assertThat(launcher.calls).isZero();
    }
}
