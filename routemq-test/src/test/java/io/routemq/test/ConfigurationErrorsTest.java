package io.routemq.test;

import io.routemq.core.Router;
import io.routemq.core.Routes;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherFactory;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder.request;

/** A misconfigured test class fails before it starts anything, with a message that says how to fix it. */
class ConfigurationErrorsTest {

    @Test
    void aRouteFileWithDependenciesInTheAnnotationSaysToRegisterAnInstance() {
        assertThat(failuresOf(NeedsAnInstance.class)).singleElement().asString()
                .contains("@RouteMqTest on NeedsAnInstance: route file RoutesWithDependencies has no constructor without parameters;"
                        + " pass an instance instead: @RegisterExtension static RouteMqExtension mq ="
                        + " RouteMqExtension.withRoutes(new RoutesWithDependencies(...));");
    }

    @Test
    void anAnnotationWithoutRoutesSaysWhereRoutesGo() {
        assertThat(failuresOf(NoRoutes.class)).singleElement().asString()
                .contains("NoRoutes has no routes to run: annotate it with @RouteMqTest(routes = MyRoutes.class),"
                        + " or register RouteMqExtension.withRoutes(...) with @RegisterExtension on a static field");
    }

    /** Runs a test class in this JVM and returns what failed, as "display name: exception". */
    private static List<String> failuresOf(Class<?> testClass) {
        List<String> failures = new ArrayList<>();
        LauncherFactory.create().execute(request().selectors(selectClass(testClass)).build(), new TestExecutionListener() {
            @Override
            public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                if (result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
                    failures.add(id.getDisplayName() + ": " + result.getThrowable().map(Throwable::toString).orElse("?"));
                }
            }
        });
        return failures;
    }

    static final class RoutesWithDependencies implements Routes {
        private final String prefix;

        RoutesWithDependencies(String prefix) {
            this.prefix = prefix;
        }

        @Override
        public void define(Router router) {
            router.on(prefix + "/#", ctx -> { });
        }
    }

    @RouteMqTest(routes = RoutesWithDependencies.class)
    static class NeedsAnInstance {
        @Test
        void neverRuns() {
        }
    }

    @RouteMqTest(routes = {})
    static class NoRoutes {
        @Test
        void neverRuns() {
        }
    }
}
