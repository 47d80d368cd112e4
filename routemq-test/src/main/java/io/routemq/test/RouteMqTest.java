package io.routemq.test;

import io.routemq.core.Routes;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs the given route files on a broker for the annotated test class, through the same session, dispatcher and
 * sink path as the gateway, and injects a {@link RouteMqTester} into test methods:
 * <pre>{@code
 * @RouteMqTest(routes = FleetRoutes.class)
 * class FleetRoutesTest {
 *     @Test
 *     void speeding(RouteMqTester mq) {
 *         mq.publish("fleet/f1/trucks/t7/gps", "{\"speedKmh\":130}");
 *         mq.awaitHandled("fleet/{fleetId}/trucks/{truckId}/gps", 1);
 *         assertThat(mq.awaitPublished("alerts/speeding/+", 1)).hasSize(1);
 *     }
 * }
 * }</pre>
 * The broker is the in-process embedded broker, started once for the whole test run and shared by every class
 * that uses it, unless {@link #broker()} or the system property {@value RouteMqExtension#BROKER_PROPERTY} names
 * another one. Route files need a constructor without parameters here; for routes with dependencies, register
 * {@link RouteMqExtension#withRoutes(Routes...)} with {@code @RegisterExtension} instead of this annotation.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(RouteMqExtension.class)
public @interface RouteMqTest {

    /** The route files to run; each is created with its constructor without parameters. */
    Class<? extends Routes>[] routes();

    /**
     * The broker URL ({@code mqtt://host:port}); empty for the system property {@value RouteMqExtension#BROKER_PROPERTY},
     * or the shared embedded broker when that is unset too.
     */
    String broker() default "";

    /** Sinks to capture besides those the routes name with {@code .to(...)} (those are captured anyway). */
    String[] sinks() default {};

    /** How long the {@code await...} methods of {@link RouteMqTester} wait, in seconds (default 10). */
    int awaitSeconds() default 10;
}
