package io.portcullis.ops;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Memory held on behalf of callers, bounded: a share is taken before the memory is held and given
 * back when it is released, so that many callers together cannot fill the heap. Shared by the token
 * endpoint's request bodies and the audit queue. Lock-free; a refused share holds nothing.
 */
public final class MemoryBudget {
    private final long limit;
    private final AtomicLong held = new AtomicLong();

    public MemoryBudget(long limit) {
        if (limit <= 0) {
            throw new IllegalArgumentException("a budget needs a positive limit");
        }
        this.limit = limit;
    }

    /** Takes {@code bytes} if they fit; false, and nothing taken, if they do not. */
    public boolean tryTake(long bytes) {
        if (held.addAndGet(bytes) > limit) {
            held.addAndGet(-bytes);
            return false;
        }
        return true;
    }

    /** Gives {@code bytes} back; what is still held. */
    public long give(long bytes) {
        return held.addAndGet(-bytes);
    }

    public long held() {
        return held.get();
    }

    public long limit() {
        return limit;
    }
}
