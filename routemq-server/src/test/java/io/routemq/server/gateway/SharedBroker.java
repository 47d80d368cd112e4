package io.routemq.server.gateway;

import io.routemq.broker.EmbeddedBroker;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Supplies one real embedded broker (in memory, anonymous, free port) to every gateway test class that asks for an
 * {@link EmbeddedBroker} parameter, started once per test run and closed by JUnit when the run ends. Starting HiveMQ
 * CE takes seconds on a busy 2-core machine, so the classes share it; each class uses its own topics and client ids.
 */
final class SharedBroker implements ParameterResolver {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(SharedBroker.class);

    /** Closes the broker when the root store is closed (end of the run). */
    record Holder(EmbeddedBroker broker) implements AutoCloseable {
        @Override
        public void close() {
            broker.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext ctx) {
        return p.getParameter().getType() == EmbeddedBroker.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext ctx) {
        return ctx.getRoot().getStore(NS).computeIfAbsent("broker", k -> new Holder(GatewayTestSupport.startBroker()), Holder.class).broker();
    }
}
