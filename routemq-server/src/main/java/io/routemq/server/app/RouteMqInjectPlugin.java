package io.routemq.server.app;

import io.avaje.inject.BeanScopeBuilder;
import io.avaje.inject.spi.InjectPlugin;

import java.lang.reflect.Type;

/**
 * Tells avaje-inject which beans RouteMQ supplies to an application, so that its compile-time wiring accepts
 * components that take them: the MQTT {@code Publisher}, {@link Settings}, the Redis connections and the database
 * ({@code RedisConnections}, {@code DatabasePool}, {@code DataSource}) and the background {@code Jobs}. The application runtime supplies them when it
 * builds the bean scope ({@link App}); Redis and the database only when the config has a {@code redis:} or
 * {@code database:} section, and a component that takes one without it fails at start with a message saying so. A
 * component may take {@code Optional<RedisConnections>}, {@code Optional<DatabasePool>} or {@code Optional<DataSource>}
 * instead: the generator accepts an {@code Optional} of any type (it writes {@code builder.getOptional(...)}), and it is
 * empty at run time when the section is missing, as the runtime then supplies no such bean.
 *
 * <p>The avaje-inject generator finds this plugin with {@link java.util.ServiceLoader} on the annotation processor
 * path: an app's pom lists {@code routemq-server} there (without its dependencies: {@link #provides()} names the
 * types without loading them). At run time it adds nothing; the runtime supplies the beans itself.
 */
public final class RouteMqInjectPlugin implements InjectPlugin {

    /** The types RouteMQ supplies, by name. */
    static final String[] PROVIDED = {
            "io.routemq.core.Publisher",
            "io.routemq.server.app.Settings",
            "io.routemq.redis.RedisConnections",
            "io.routemq.database.DatabasePool",
            "javax.sql.DataSource",
            "io.routemq.jobs.Jobs"};

    /** Used by {@link java.util.ServiceLoader}. */
    public RouteMqInjectPlugin() {
    }

    @Override
    public Type[] provides() {
        Type[] types = new Type[PROVIDED.length];
        for (int i = 0; i < types.length; i++) types[i] = new Named(PROVIDED[i]);
        return types;
    }

    @Override
    public void apply(BeanScopeBuilder builder) {
        // The runtime supplies the beans with BeanScopeBuilder.bean(...) (App).
    }

    /** A type known by name only, so that the processor path needs none of the classes. */
    private record Named(String name) implements Type {
        @Override
        public String getTypeName() {
            return name;
        }
    }
}
