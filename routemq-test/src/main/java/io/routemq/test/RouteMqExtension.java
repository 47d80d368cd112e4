package io.routemq.test;

import io.routemq.core.RouteTable;
import io.routemq.core.Router;
import io.routemq.core.Routes;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

import java.lang.reflect.Constructor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The JUnit extension behind {@link RouteMqTest}. Before a test class, it runs the class's routes on a broker as the
 * gateway would (sessions, dispatcher, sink step, acknowledgements); before each test, it waits for the messages in
 * flight and clears what was recorded; it injects a {@link RouteMqTester}; after the class, it stops the routes.
 *
 * <p>The embedded broker is started once, by the first class that needs it, and shared by every test class of the
 * run (it lives in JUnit's root store and stops when the run ends). A class that sets its own broker, or a run with
 * the system property {@value #BROKER_PROPERTY} (e.g. {@code -Droutemq.test.broker=mqtt://127.0.0.1:1883}), uses
 * that broker instead.
 *
 * <p>Routes with dependencies are registered programmatically:
 * <pre>{@code
 * @RegisterExtension
 * static RouteMqExtension mq = RouteMqExtension.withRoutes(new FleetRoutes(new Trucks(), new Devices()));
 * }</pre>
 * Test classes share one broker, so run them one at a time (JUnit's default), not in parallel.
 */
public final class RouteMqExtension implements BeforeAllCallback, BeforeEachCallback, ParameterResolver {
    /** The system property that points every test class at an external broker, e.g. {@code mqtt://127.0.0.1:1883}. */
    public static final String BROKER_PROPERTY = "routemq.test.broker";

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(RouteMqExtension.class);

    private final List<Routes> routes;
    private final RouteTable prebuilt;
    private String broker = "";
    private final Set<String> sinks = new LinkedHashSet<>();
    private Duration awaitTimeout;

    /** The extension {@link RouteMqTest} registers; it reads the annotation. */
    public RouteMqExtension() {
        this(null, null);
    }

    private RouteMqExtension(List<Routes> routes, RouteTable prebuilt) {
        this.routes = routes;
        this.prebuilt = prebuilt;
    }

    /** An extension running these route files (for {@code @RegisterExtension} on a static field). */
    public static RouteMqExtension withRoutes(Routes... routes) {
        if (routes.length == 0) throw new IllegalArgumentException("withRoutes needs at least one route file");
        return new RouteMqExtension(List.of(routes), null);
    }

    /** An extension running the routes defined on this router (its {@link Router#build()} is called once). */
    public static RouteMqExtension withRouter(Router router) {
        Objects.requireNonNull(router, "router");
        return new RouteMqExtension(null, router.build());
    }

    /** Runs the routes on this broker ({@code mqtt://host:port}) instead of the shared embedded one. */
    public RouteMqExtension broker(String url) {
        this.broker = Objects.requireNonNull(url, "url");
        return this;
    }

    /** Captures these sinks too, besides those the routes forward to. */
    public RouteMqExtension sinks(String... names) {
        sinks.addAll(Arrays.asList(names));
        return this;
    }

    /** How long the {@code await...} methods wait (default 10 s). */
    public RouteMqExtension awaitTimeout(Duration timeout) {
        this.awaitTimeout = Objects.requireNonNull(timeout, "timeout");
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        ExtensionContext.Store store = context.getStore(NS);
        if (store.get(RouteMqTester.class) != null) return; // an enclosing class (or the other registration) runs them
        Class<?> testClass = context.getRequiredTestClass();
        Optional<RouteMqTest> annotation = AnnotationSupport.findAnnotation(testClass, RouteMqTest.class);

        RouteTable table = prebuilt != null ? prebuilt : Router.of(routeFiles(testClass, annotation).toArray(Routes[]::new)).build();
        Set<String> sinkNames = new LinkedHashSet<>(sinks);
        annotation.ifPresent(a -> sinkNames.addAll(Arrays.asList(a.sinks())));
        Duration timeout = awaitTimeout != null ? awaitTimeout
                : Duration.ofSeconds(annotation.map(RouteMqTest::awaitSeconds).orElse(10));

        String url = brokerUrl(context, annotation);
        TestApp app = new TestApp(testClass.getName(), table, url, sinkNames, timeout);
        store.put(TestApp.class, app); // AutoCloseable: JUnit closes it after the class
        store.put(RouteMqTester.class, new RouteMqTester(app, timeout));
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        RouteMqTester tester = context.getStore(NS).get(RouteMqTester.class, RouteMqTester.class);
        if (tester != null) tester.reset();
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == RouteMqTester.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        RouteMqTester tester = context.getStore(NS).get(RouteMqTester.class, RouteMqTester.class);
        if (tester == null) {
            throw new ExtensionConfigurationException("RouteMqTester is available once the class's routes run: inject it"
                    + " into test, @BeforeEach or @BeforeAll methods of a @RouteMqTest class");
        }
        return tester;
    }

    private List<Routes> routeFiles(Class<?> testClass, Optional<RouteMqTest> annotation) {
        if (routes != null) return routes;
        if (annotation.isEmpty() || annotation.get().routes().length == 0) {
            throw new ExtensionConfigurationException(testClass.getSimpleName() + " has no routes to run: annotate it"
                    + " with @RouteMqTest(routes = MyRoutes.class), or register RouteMqExtension.withRoutes(...) with"
                    + " @RegisterExtension on a static field");
        }
        List<Routes> files = new ArrayList<>();
        for (Class<? extends Routes> type : annotation.get().routes()) files.add(instantiate(testClass, type));
        return files;
    }

    private static Routes instantiate(Class<?> testClass, Class<? extends Routes> type) {
        Constructor<? extends Routes> constructor;
        try {
            constructor = type.getDeclaredConstructor();
        } catch (NoSuchMethodException e) {
            throw new ExtensionConfigurationException("@RouteMqTest on " + testClass.getSimpleName() + ": route file "
                    + type.getSimpleName() + " has no constructor without parameters; pass an instance instead:"
                    + " @RegisterExtension static RouteMqExtension mq = RouteMqExtension.withRoutes(new "
                    + type.getSimpleName() + "(...));", e);
        }
        try {
            constructor.setAccessible(true);
            return constructor.newInstance();
        } catch (ReflectiveOperationException | RuntimeException e) {
            Throwable cause = e instanceof java.lang.reflect.InvocationTargetException ite ? ite.getCause() : e;
            throw new ExtensionConfigurationException("@RouteMqTest on " + testClass.getSimpleName() + ": could not create route file "
                    + type.getSimpleName() + ": " + cause, cause);
        }
    }

    private String brokerUrl(ExtensionContext context, Optional<RouteMqTest> annotation) {
        if (!broker.isBlank()) return broker;
        String declared = annotation.map(RouteMqTest::broker).orElse("");
        if (!declared.isBlank()) return declared;
        String property = System.getProperty(BROKER_PROPERTY, "");
        if (!property.isBlank()) return property;
        return context.getRoot().getStore(NS).computeIfAbsent(SharedBroker.class, k -> SharedBroker.start(), SharedBroker.class).url();
    }
}
