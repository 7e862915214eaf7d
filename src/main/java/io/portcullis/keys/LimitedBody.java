package io.portcullis.keys;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/** A body of at most {@code max} bytes: past it, the exchange is cancelled and fails. */
final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {
    private final HttpResponse.BodySubscriber<byte[]> inner = HttpResponse.BodySubscribers.ofByteArray();
    private final int max;
    private long seen;
    private Flow.Subscription subscription;
    private boolean failed;

    LimitedBody(int max) {
        this.max = max;
    }

    @Override
    public CompletionStage<byte[]> getBody() {
        return inner.getBody();
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        this.subscription = subscription;
        inner.onSubscribe(subscription);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
        if (failed) {
            return;
        }
        for (ByteBuffer item : items) {
            seen += item.remaining();
        }
        if (seen > max) {
            failed = true;
            subscription.cancel();
            inner.onError(new IOException("the key set is larger than " + max + " bytes"));
            return;
        }
        inner.onNext(items);
    }

    @Override
    public void onError(Throwable throwable) {
        if (!failed) {
            inner.onError(throwable);
        }
    }

    @Override
    public void onComplete() {
        if (!failed) {
            inner.onComplete();
        }
    }
}
