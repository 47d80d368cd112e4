package io.routemq.core.internal;

import io.routemq.core.Context;
import io.routemq.core.Handler;
import io.routemq.core.Middleware;
import io.routemq.core.Next;

import java.util.List;

/**
 * Runs a middleware chain and its handler, one step object per position as OkHttp's RealInterceptorChain does, so
 * that a middleware calling {@code next} twice is caught.
 *
 * <p>Public only because {@code io.routemq.core.Dispatcher}, in this module, uses it; not API: other modules must not
 * use it.
 */
public final class Chain {
    private final List<Middleware> middleware;
    private final Handler handler;
    private boolean handlerReached;

    private Chain(List<Middleware> middleware, Handler handler) {
        this.middleware = middleware;
        this.handler = handler;
    }

    /**
     * Runs the chain on the calling thread.
     *
     * @return true if the handler was reached, false if a middleware stopped the message
     * @throws Exception whatever escaped the chain
     */
    public static boolean run(List<Middleware> middleware, Handler handler, Context ctx) throws Exception {
        Chain chain = new Chain(middleware, handler);
        chain.step(0, ctx);
        return chain.handlerReached;
    }

    private void step(int index, Context ctx) throws Exception {
        if (index == middleware.size()) {
            handlerReached = true;
            handler.handle(ctx);
            return;
        }
        middleware.get(index).handle(ctx, new Step(index + 1, middleware.get(index)));
    }

    private final class Step implements Next {
        private final int index;
        private final Middleware owner;
        private boolean called;

        Step(int index, Middleware owner) {
            this.index = index;
            this.owner = owner;
        }

        @Override
        public void proceed(Context ctx) throws Exception {
            if (called) {
                throw new IllegalStateException("middleware " + owner.getClass().getName()
                        + " called next.proceed() more than once for topic '" + ctx.topic() + "'");
            }
            called = true;
            step(index, ctx == null ? failNull() : ctx);
        }

        private Context failNull() {
            throw new IllegalArgumentException("middleware " + owner.getClass().getName() + " passed a null context to next.proceed()");
        }
    }
}
