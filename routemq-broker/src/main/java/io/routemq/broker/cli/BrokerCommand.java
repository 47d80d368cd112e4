package io.routemq.broker.cli;

import io.routemq.broker.BrokerConfig;
import io.routemq.broker.BrokerConfigLoader;
import io.routemq.broker.BrokerException;
import io.routemq.broker.EmbeddedBroker;
import io.routemq.broker.Passwords;
import io.routemq.broker.internal.PasswordFile;
import java.io.ByteArrayOutputStream;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code routemq broker}: runs the embedded broker standalone, and {@code routemq broker passwd FILE USER}
 * adds or changes a user in a password file. The main CLI adds this as a subcommand; {@link #main(String[])} runs
 * it on its own.
 */
@Command(name = "broker", mixinStandardHelpOptions = true,
        description = {"Runs the embedded MQTT broker (HiveMQ CE) standalone.",
                "Prints one line naming each listener when it is ready; Ctrl-C stops it."},
        subcommands = {BrokerCommand.Passwd.class})
public final class BrokerCommand implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE",
            description = "YAML or JSON file with a top-level 'broker:' section (defaults if omitted)")
    Path config;

    @Option(names = "--port", paramLabel = "N", description = "MQTT TCP port (default 1883; 0 picks a free one)")
    Integer port;

    @Option(names = "--ws-port", paramLabel = "N", description = "MQTT over WebSocket port (off by default; 0 picks a free one)")
    Integer wsPort;

    @Option(names = "--bind", paramLabel = "ADDR", description = "bind address (default 127.0.0.1)")
    String bind;

    @Option(names = "--password-file", paramLabel = "FILE",
            description = "password file made with 'routemq broker passwd' (re-read when it changes)")
    Path passwordFile;

    @Option(names = "--allow-anonymous", description = "accept clients without a user name (off by default)")
    boolean allowAnonymous;

    /** Runs {@code broker} standalone. */
    public static void main(String[] args) {
        System.exit(new CommandLine(new BrokerCommand()).execute(args));
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        EmbeddedBroker broker;
        try {
            BrokerConfig.Builder b = (config == null ? BrokerConfig.defaults() : BrokerConfigLoader.load(config)).toBuilder();
            if (port != null) {
                b.port(port);
            }
            if (wsPort != null) {
                b.wsPort(wsPort);
            }
            if (bind != null) {
                b.bindAddress(bind);
            }
            if (passwordFile != null) {
                b.passwordFile(passwordFile);
            }
            if (allowAnonymous) {
                b.allowAnonymous(true);
            }
            broker = EmbeddedBroker.create(build(b));
            broker.start();
        } catch (BrokerException e) {
            err.println("routemq broker: " + e.getMessage());
            err.flush();
            return 2;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            broker.close();
            stopped.countDown();
        }, "routemq-broker-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        out.println(broker.readyLine());
        String hint = firstRunHint(broker);
        if (hint != null) {
            out.println(hint);
        }
        out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            broker.close();
        }
        return 0;
    }

    /**
     * @return the line printed after the ready line when the broker would refuse every client (no users, anonymous
     * access off), saying how to add a user; {@code null} otherwise
     */
    static String firstRunHint(EmbeddedBroker broker) {
        if (!broker.refusesEveryone()) {
            return null;
        }
        BrokerConfig c = broker.config();
        if (c.passwordFile() != null) {
            return "The password file " + c.passwordFile() + " has no users, so every client is refused. Add one with"
                    + " 'routemq broker passwd " + c.passwordFile() + " USER' (it applies at once, no restart).";
        }
        String anonymous = isLoopback(c.bindAddress())
                ? ", or restart with --allow-anonymous (this broker listens on " + c.bindAddress() + " only)" : "";
        return "No users and anonymous access is off, so every client is refused. Add a user with 'routemq broker"
                + " passwd broker.passwd USER' and restart with --password-file broker.passwd" + anonymous + ".";
    }

    private static boolean isLoopback(String address) {
        try {
            return java.net.InetAddress.getByName(address).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    private static BrokerConfig build(BrokerConfig.Builder b) {
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new io.routemq.broker.BrokerConfigException(e.getMessage(), e);
        }
    }

    /** {@code routemq broker passwd FILE USER}. */
    @Command(name = "passwd", mixinStandardHelpOptions = true,
            description = {"Adds or changes a user in a broker password file (created if missing, mode 600).",
                    "The password is read from the console without echo, or from the first line of stdin when it is"
                            + " not a terminal."})
    public static final class Passwd implements Callable<Integer> {

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "FILE", description = "password file")
        Path file;

        @Parameters(index = "1", paramLabel = "USER", description = "user name")
        String user;

        @Option(names = "--delete", description = "remove the user instead")
        boolean delete;

        @Option(names = "--iterations", paramLabel = "N",
                description = "PBKDF2 iterations (default ${DEFAULT-VALUE})")
        int iterations = Passwords.DEFAULT_ITERATIONS;

        InputStream stdin = System.in;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try {
                if (delete) {
                    boolean existed = PasswordFile.update(file, user, null);
                    out.println(existed ? "Removed user '" + user + "' from " + file : "User '" + user + "' was not in " + file);
                    return existed ? 0 : 1;
                }
                char[] password = readPassword(err);
                if (password == null) {
                    return 1;
                }
                String hash;
                try {
                    hash = Passwords.hash(password, iterations);
                } finally {
                    Arrays.fill(password, '\0');
                }
                boolean existed = PasswordFile.update(file, user, hash);
                out.println((existed ? "Changed the password of user '" : "Added user '") + user + "' in " + file);
                return 0;
            } catch (IllegalArgumentException e) {
                err.println("routemq broker passwd: " + e.getMessage());
                return 2;
            } catch (IOException e) {
                err.println("routemq broker passwd: cannot write " + file.toAbsolutePath() + ": " + e);
                return 2;
            }
        }

        private char[] readPassword(PrintWriter err) throws IOException {
            Console console = System.console();
            if (isTerminal(console)) {
                char[] first = console.readPassword("Password for %s: ", user);
                char[] second = console.readPassword("Repeat it: ");
                try {
                    if (first == null || second == null || !Arrays.equals(first, second)) {
                        err.println("routemq broker passwd: the passwords differ; nothing changed");
                        if (first != null) {
                            Arrays.fill(first, '\0');
                        }
                        return null;
                    }
                } finally {
                    if (second != null) {
                        Arrays.fill(second, '\0');
                    }
                }
                return checkNotEmpty(first, err);
            }
            return checkNotEmpty(readLine(stdin), err);
        }

        /** JDK 22+ always returns a console; {@code isTerminal()} (22+) tells whether it is a real one. */
        private static boolean isTerminal(Console console) {
            if (console == null) {
                return false;
            }
            try {
                return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
            } catch (ReflectiveOperationException e) {
                return true; // JDK 21: a console exists only for a terminal
            }
        }

        private static char[] checkNotEmpty(char[] password, PrintWriter err) {
            if (password.length == 0) {
                err.println("routemq broker passwd: empty password; nothing changed");
                return null;
            }
            return password;
        }

        private static char[] readLine(InputStream in) throws IOException {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            int c;
            while ((c = in.read()) >= 0 && c != '\n') {
                buf.write(c);
            }
            byte[] bytes = buf.toByteArray();
            int len = bytes.length;
            if (len > 0 && bytes[len - 1] == '\r') {
                len--;
            }
            CharBuffer chars = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(bytes, 0, len));
            char[] out = new char[chars.remaining()];
            chars.get(out);
            Arrays.fill(bytes, (byte) 0);
            if (chars.hasArray()) {
                Arrays.fill(chars.array(), '\0');
            }
            return out;
        }
    }
}
