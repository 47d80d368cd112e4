package io.routemq.server.app;

import io.avaje.inject.BeanScope;
import io.avaje.inject.BeanScopeBuilder;
import io.routemq.core.Publisher;
import io.routemq.core.Route;
import io.routemq.core.Router;
import io.routemq.core.Routes;
import io.routemq.core.annotation.RouteIndex;
import io.routemq.database.DatabaseConfig;
import io.routemq.database.DatabasePool;
import io.routemq.jobs.JobWorkers;
import io.routemq.jobs.Jobs;
import io.routemq.jobs.JobsConfig;
import io.routemq.redis.RedisConfig;
import io.routemq.redis.RedisConnections;
import io.routemq.server.services.Services;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An application as found on the class path: its route files and controllers from the compile-time index
 * ({@link RouteIndex}), built once with avaje-inject (its generated wiring, no class path scanning), with RouteMQ's
 * beans supplied: the MQTT {@link Publisher}, {@link Settings}, and, when a component takes them, the Redis
 * connections ({@link RedisConnections}), the database ({@link DatabasePool}, {@link DataSource}) and the
 * background {@link Jobs} (on the store of the {@code jobs:} section).
 *
 * <p>A route file or controller that is a bean of the scope ({@code @Singleton}) comes from the scope; one that is
 * not must have a public constructor without parameters. A controller's generated route file is built with the
 * controller and the middleware its routes name (beans of the scope, or built with their constructor without
 * parameters). Reflection runs once here, at start; messages run the generated code.
 *
 * <p>{@link #startJobs()} starts the in-process job workers ({@code routemq run}); {@link #close()} stops them (within
 * {@code jobs.shutdownTimeout}), closes the components (their {@code @PreDestroy} methods), then the job store, Redis
 * and the database pool: after the gateway has stopped consuming.
 */
public final class App implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(App.class);
    /** avaje-inject logs "Wired beans in 2ms" through java.util.logging at INFO: kept to warnings (held, as JUL keeps loggers weakly). */
    private static final java.util.logging.Logger AVAJE_LOG = quiet(java.util.logging.Logger.getLogger("io.avaje.inject"));

    private final BeanScope scope;
    private final AppResources resources;
    private final AppPublisher publisher;
    private final List<CodeRoutes> routes;
    private final ClassLoader loader;
    private final Settings settings;
    private JobWorkers workers;

    /**
     * A route file of the application.
     *
     * @param routes the route file, ready to {@link Routes#define define} routes
     * @param source where it comes from: the route file's class, or the controller's class for a generated one
     */
    public record CodeRoutes(Routes routes, String source) {
        /** Checks the fields. */
        public CodeRoutes {
            Objects.requireNonNull(routes, "routes");
            Objects.requireNonNull(source, "source");
        }
    }

    private App(BeanScope scope, AppResources resources, AppPublisher publisher, List<CodeRoutes> routes, ClassLoader loader,
                Settings settings) {
        this.loader = loader;
        this.settings = settings;
        this.scope = scope;
        this.resources = resources;
        this.publisher = publisher;
        this.routes = List.copyOf(routes);
    }

    /** The index of the application on the class path; empty when there is none (then {@code run} is the gateway). */
    public static RouteIndex index(ClassLoader loader) {
        return RouteIndex.load(loader);
    }

    /**
     * Builds the application's components and route files.
     *
     * @param loader   the class loader that sees the application
     * @param index    its index ({@link #index})
     * @param settings config values for the components
     * @param redis    the config's {@code redis:} section, or null
     * @param database the config's {@code database:} section, or null
     * @throws IllegalStateException naming the class and what to do when a component cannot be built
     */
    public static App build(ClassLoader loader, RouteIndex index, Settings settings, RedisConfig redis, DatabaseConfig database) {
        return build(loader, index, settings, redis, database, null);
    }

    /**
     * Builds the application's components and route files; {@link Jobs} is injectable, on the store {@code jobs}
     * names (opened when a component takes it, or when {@link #startJobs()} runs workers).
     *
     * @param jobs the config's {@code jobs:} section, or null (then a component taking {@link Jobs} gets the local driver)
     * @throws IllegalStateException naming the class and what to do when a component cannot be built
     */
    public static App build(ClassLoader loader, RouteIndex index, Settings settings, RedisConfig redis, DatabaseConfig database,
                            JobsConfig jobs) {
        return build(loader, index, settings, new AppResources(new Services(redis, database), jobs, false));
    }

    /**
     * Builds the application to check it ({@code routemq check}, {@code routemq routes}): as {@link #build}, but the
     * job store is never opened (a component taking {@link Jobs} gets one whose store opens nothing and refuses to be
     * used), so checking creates no file.
     */
    public static App buildToCheck(ClassLoader loader, RouteIndex index, Settings settings, RedisConfig redis, DatabaseConfig database,
                                   JobsConfig jobs) {
        return build(loader, index, settings, new AppResources(new Services(redis, database), jobs, true));
    }

    private static App build(ClassLoader loader, RouteIndex index, Settings settings, AppResources resources) {
        try {
            return build(loader, index, settings, resources, new AppPublisher());
        } catch (RuntimeException e) {
            resources.close();
            throw e;
        }
    }

    /**
     * Builds the application again from another class loader ({@code routemq dev}'s reload): new components, route
     * files and controllers from the new classes, with this app's singletons kept: the {@link Publisher}, the
     * {@link Settings}, the Redis connections, the database pool and the job store (opened at most once, closed by the
     * last app's {@link #close()}). Close the app it replaces with {@link #closeComponents()} once the new routes are in
     * force; the job workers move to the new app.
     *
     * @throws IllegalStateException as {@link #build}; this app is left as it was
     */
    public App reload(ClassLoader loader, RouteIndex index) {
        App next = build(loader, index, settings, resources, publisher);
        synchronized (this) {
            if (workers != null) {
                next.workers = workers;
                workers = null;
            }
        }
        return next;
    }

    private static App build(ClassLoader loader, RouteIndex index, Settings settings, AppResources resources, AppPublisher publisher) {
        BeanScope scope;
        try {
            BeanScopeBuilder builder = BeanScope.builder()
                    .classLoader(loader)
                    .shutdownHook(false)
                    .bean(Publisher.class, publisher)
                    .bean(Settings.class, settings)
                    .provideDefault(Jobs.class, resources::jobs);
            // Redis and the database are beans only when configured: Optional<RedisConnections> and the others are then
            // empty (avaje-inject's getOptional finds no bean), and the plain type fails with the message of missing(...).
            if (resources.services().redisConfigured()) builder.provideDefault(RedisConnections.class, resources::redis);
            if (resources.services().databaseConfigured()) {
                builder.provideDefault(DatabasePool.class, resources::database);
                builder.provideDefault(DataSource.class, () -> resources.database().dataSource());
            }
            scope = builder.build();
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot build the app's components: " + ours(e), e);
        }
        try {
            List<CodeRoutes> routes = new ArrayList<>();
            for (String name : index.routes()) {
                Class<?> type = load(loader, name, "route file");
                if (!Routes.class.isAssignableFrom(type)) {
                    throw new IllegalStateException("route file " + name + " does not implement Routes");
                }
                routes.add(new CodeRoutes((Routes) instance(scope, type, "route file"), name));
            }
            for (RouteIndex.ControllerEntry c : index.controllers()) {
                Object controller = instance(scope, load(loader, c.controller(), "controller"), "controller");
                routes.add(new CodeRoutes(binder(scope, load(loader, c.binder(), "generated route file"), controller, c), c.controller()));
            }
            App app = new App(scope, resources, publisher, routes, loader, settings);
            log.debug("app: {} route file(s) and controller(s)", routes.size());
            return app;
        } catch (RuntimeException e) {
            scope.close();
            throw e;
        }
    }

    /** The route files, in index order: written ones, then the controllers' generated ones. */
    public List<CodeRoutes> routes() {
        return routes;
    }

    /** The route files as the gateway takes them. */
    public List<Routes> routeFiles() {
        return routes.stream().map(CodeRoutes::routes).toList();
    }

    /**
     * The routes the route files define, each with where it is defined, in definition order.
     *
     * @throws IllegalStateException or IllegalArgumentException when a route file defines a bad route
     */
    public List<CodeRoute> describe() {
        List<CodeRoute> out = new ArrayList<>();
        for (CodeRoutes r : routes) {
            for (Route route : Router.of(r.routes()).build().routes()) out.add(CodeRoute.of(route, r.source()));
        }
        return out;
    }

    /** The bean scope (tests, and the jobs and middleware that look beans up). */
    public BeanScope scope() {
        return scope;
    }

    /** Connects the injected {@link Publisher} to the running sessions. */
    public void bindPublisher(Publisher sessions) {
        publisher.bind(sessions);
    }

    /**
     * Starts the in-process job workers for {@code jobs.queues} when the config has a {@code jobs:} section or a
     * component took {@link Jobs}, and {@code jobs.workers} is true; a job's {@code @Inject} fields are filled from
     * the app's components. Called by {@code routemq run} once the gateway runs.
     *
     * @return whether workers started
     */
    public synchronized boolean startJobs() {
        if (workers != null) return true;
        if (!resources.jobsConfigured() && !resources.jobsOpened()) return false;
        JobsConfig config = resources.jobsConfig();
        Jobs jobs = resources.jobs();
        if (!config.workers()) {
            log.info("jobs: this process only dispatches (jobs.workers: false); run the workers with routemq jobs work");
            return false;
        }
        workers = new JobWorkers(jobs.store(), config, null, new ScopeJobFactory(scope), loader).start();
        return true;
    }

    /** The running job workers, or null (tests). */
    public synchronized JobWorkers workers() {
        return workers;
    }

    /** Whether a component (or the job store) took Redis. */
    public boolean usesRedis() {
        return resources.services().redisOpened();
    }

    /** Whether a component (or the job store) took the database. */
    public boolean usesDatabase() {
        return resources.services().databaseOpened();
    }

    /**
     * The process's Redis connections and database pool, shared by the app's components, its job store and the
     * gateway's middleware ({@link io.routemq.server.gateway.Gateway#start(io.routemq.server.config.GatewayConfig, boolean,
     * List, Services)}); closed by {@link #close()}, after the components and the job workers.
     */
    public Services services() {
        return resources.services();
    }

    /**
     * Closes the components only (their {@code @PreDestroy} methods), keeping the publisher, Redis, the database
     * pool and the job store for the app that replaced this one ({@link #reload}).
     */
    public void closeComponents() {
        try {
            scope.close();
        } catch (RuntimeException e) {
            log.warn("closing the app's components: {}", e.toString());
        }
    }

    /** Stops the job workers, closes the components, then the job store, Redis and the database pool. */
    @Override
    public void close() {
        JobWorkers w;
        synchronized (this) {
            w = workers;
            workers = null;
        }
        if (w != null) w.close(); // waits up to jobs.shutdownTimeout, then releases the jobs still running
        publisher.fail(new IllegalStateException("the app is stopped"));
        try {
            scope.close();
        } catch (RuntimeException e) {
            log.warn("closing the app's components: {}", e.toString());
        } finally {
            resources.close();
        }
    }

    private static Class<?> load(ClassLoader loader, String name, String what) {
        try {
            return Class.forName(name, false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalStateException("the route index names the " + what + " " + name + ", which is not on the class path "
                    + "(a stale build? rebuild the app)", e);
        }
    }

    /** A bean of the scope, else an instance made with the public constructor without parameters. */
    private static Object instance(BeanScope scope, Class<?> type, String what) {
        var bean = scope.getOptional(type);
        if (bean.isPresent()) return bean.get();
        Constructor<?> noArgs;
        try {
            noArgs = type.getConstructor();
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(what + " " + type.getName() + " takes constructor parameters but is not a component: "
                    + "annotate it with @Singleton (jakarta.inject) and build the app with the avaje-inject-generator annotation "
                    + "processor (the scaffold's pom does), or give it a public constructor without parameters", e);
        }
        return construct(noArgs, what + " " + type.getName());
    }

    /** A controller's generated route file: its constructor takes the controller, then the middleware its routes name. */
    private static Routes binder(BeanScope scope, Class<?> type, Object controller, RouteIndex.ControllerEntry entry) {
        if (!Routes.class.isAssignableFrom(type)) {
            throw new IllegalStateException("generated route file " + entry.binder() + " does not implement Routes (rebuild the app)");
        }
        Constructor<?> ctor = null;
        for (Constructor<?> c : type.getConstructors()) {
            if (c.getParameterCount() >= 1 && c.getParameterTypes()[0].isInstance(controller)) ctor = c;
        }
        if (ctor == null) {
            throw new IllegalStateException("generated route file " + entry.binder() + " has no public constructor taking its controller "
                    + entry.controller() + " (built by another version of routemq-processor? rebuild the app)");
        }
        Class<?>[] params = ctor.getParameterTypes();
        Object[] args = new Object[params.length];
        args[0] = controller;
        for (int i = 1; i < params.length; i++) args[i] = instance(scope, params[i], "middleware");
        return (Routes) construct(ctor, "generated route file " + entry.binder(), args);
    }

    private static Object construct(Constructor<?> ctor, String what, Object... args) {
        if (!Modifier.isPublic(ctor.getDeclaringClass().getModifiers())) ctor.setAccessible(true);
        try {
            return ctor.newInstance(args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            throw new IllegalStateException(what + " failed in its constructor: " + cause, cause);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build " + what + ": " + e, e);
        }
    }

    private static java.util.logging.Logger quiet(java.util.logging.Logger l) {
        l.setLevel(java.util.logging.Level.WARNING);
        return l;
    }

    /**
     * The message of our own exception in the chain (a job store that cannot open), a missing {@code redis:} or
     * {@code database:} section for a component that takes Redis or the database (avaje-inject's "Injecting null for
     * ..." names the type and the component), else the first message.
     */
    private static String ours(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            StackTraceElement[] st = t.getStackTrace();
            if (t instanceof IllegalStateException && st.length > 0 && st[0].getClassName().equals(AppResources.class.getName())) {
                return t.getMessage();
            }
            String m = String.valueOf(t.getMessage());
            if (t instanceof IllegalStateException && m.startsWith(INJECTING_NULL)) {
                String type = m.substring(INJECTING_NULL.length()).split("[ ,]", 2)[0];
                int at = m.indexOf(" when creating ");
                String target = at < 0 ? "" : m.substring(at + " when creating ".length()).replaceFirst("^(class|interface) ", "");
                String component = target.isEmpty() ? "" : " (" + target.split(" ", 2)[0] + ")";
                if (type.equals(RedisConnections.class.getName())) {
                    return Services.missingRedis("a component of the app" + component + " takes RedisConnections, so it",
                            "take Optional<RedisConnections> (docs/apps.md)");
                }
                if (type.equals(DatabasePool.class.getName()) || type.equals(DataSource.class.getName())) {
                    return Services.missingDatabase("a component of the app" + component + " takes " + type.substring(type.lastIndexOf('.') + 1)
                            + ", so it", "take Optional<" + type.substring(type.lastIndexOf('.') + 1) + "> (docs/apps.md)");
                }
            }
        }
        return String.valueOf(e.getMessage());
    }

    /** How avaje-inject's generated code reports a bean nobody supplied. */
    private static final String INJECTING_NULL = "Injecting null for ";
}
