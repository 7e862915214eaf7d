package io.portcullis.ops;

import org.junit.jupiter.api.Test;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MemoryBudgetTest {

    @Test
    void sharesAreTakenUpToTheLimitAndARefusalHoldsNothing() {
        MemoryBudget budget = new MemoryBudget(100);
        assertTrue(budget.tryTake(60));
        assertTrue(budget.tryTake(40));
        assertFalse(budget.tryTake(1), "past the limit");
        assertEquals(100, budget.held());
        assertEquals(30, budget.give(70));
        assertTrue(budget.tryTake(70));
        assertFalse(budget.tryTake(1_000), "one share larger than what is left");
        assertEquals(100, budget.held());
    }

    @Test
    void aBudgetNeedsALimit() {
        assertThrows(IllegalArgumentException.class, () -> new MemoryBudget(0));
    }

    @Test
    void callersOnManyThreadsNeverHoldMoreThanTheLimit() throws Exception {
        MemoryBudget budget = new MemoryBudget(1_000);
        ExecutorService threads = Executors.newFixedThreadPool(8);
        java.util.concurrent.atomic.AtomicLong highest = new java.util.concurrent.atomic.AtomicLong();
        for (int t = 0; t < 8; t++) {
            threads.submit(() -> {
                for (int i = 0; i < 20_000; i++) {
                    if (budget.tryTake(7)) {
                        highest.accumulateAndGet(budget.held(), Math::max);
                        budget.give(7);
                    }
                }
            });
        }
        threads.shutdown();
        assertTrue(threads.awaitTermination(60, TimeUnit.SECONDS));
        assertEquals(0, budget.held(), "every share given back");
        // a reading may include another thread's share that is about to be undone: at most one per thread
        assertTrue(highest.get() <= 1_000 + 8 * 7, "held " + highest.get());
    }
}
