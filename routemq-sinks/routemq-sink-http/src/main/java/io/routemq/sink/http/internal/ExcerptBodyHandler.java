package io.routemq.sink.http.internal;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Reads a response body for its excerpt only: 2xx bodies are discarded, other bodies keep their first
 * {@value #LIMIT} bytes; the rest is drained so the connection can be reused.
 */
final class ExcerptBodyHandler implements HttpResponse.BodyHandler<byte[]> {

    /** Bytes kept from an error body. */
    public static final int LIMIT = 1024;

    /** The shared instance. */
    public static final ExcerptBodyHandler INSTANCE = new ExcerptBodyHandler();

    private static final byte[] EMPTY = new byte[0];

    @Override
    public HttpResponse.BodySubscriber<byte[]> apply(HttpResponse.ResponseInfo info) {
        if (info.statusCode() >= 200 && info.statusCode() <= 299) {
            return HttpResponse.BodySubscribers.replacing(EMPTY);
        }
        return new Excerpt();
    }

    private static final class Excerpt implements HttpResponse.BodySubscriber<byte[]> {
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private final byte[] buf = new byte[LIMIT];
        private int len;

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            for (ByteBuffer b : items) {
                int n = Math.min(b.remaining(), LIMIT - len);
                if (n > 0) {
                    b.get(buf, len, n);
                    len += n;
                }
            }
        }

        @Override
        public void onError(Throwable throwable) {
            result.completeExceptionally(throwable);
        }

        @Override
        public void onComplete() {
            result.complete(java.util.Arrays.copyOf(buf, len));
        }
    }
}
