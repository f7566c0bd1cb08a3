package dev.tasks.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

import jakarta.inject.Inject;
import jakarta.transaction.Transaction;
import jakarta.transaction.TransactionManager;

import org.eclipse.microprofile.context.ThreadContext;
import org.eclipse.microprofile.context.spi.ThreadContextProvider;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.context.SmallRyeThreadContext;
import io.smallrye.context.impl.ThreadContextProviderPlan;
import io.smallrye.mutiny.Uni;

/**
 * Mutiny's callbacks carry the CDI contexts and leave the JTA context alone
 * ({@code mp.context.ThreadContext.unchanged=Transaction}): no request runs in a JTA transaction, and
 * capturing one around every callback cost CPU on every route.
 */
@QuarkusTest
class ContextPropagationTest {

    @Inject
    TransactionManager transactions;

    private static Set<String> types(Set<ThreadContextProvider> providers) {
        return providers.stream().map(ThreadContextProvider::getThreadContextType).collect(Collectors.toSet());
    }

    @Test
    void callbacksPropagateTheCdiContextsAndLeaveTransactionsUnchanged() {
        // The context Mutiny's callbacks are wrapped with when none is set on the thread.
        ThreadContextProviderPlan plan = SmallRyeThreadContext.getCurrentThreadContextOrDefaultContexts().getPlan();
        assertTrue(types(plan.propagatedProviders).contains(ThreadContext.CDI), () -> "propagated: " + types(plan.propagatedProviders));
        assertEquals(Set.of(ThreadContext.TRANSACTION), types(plan.unchangedProviders));
        assertTrue(types(plan.clearedProviders).isEmpty(), () -> "cleared: " + types(plan.clearedProviders));
    }

    @Test
    void aTransactionDoesNotFollowACallbackToAnotherThread() throws Exception {
        ExecutorService other = Executors.newSingleThreadExecutor();
        transactions.begin();
        try {
            Transaction mine = transactions.getTransaction();
            assertNotNull(mine);
            Transaction seen = Uni.createFrom().item("x").emitOn(other)
                    .map(ignored -> {
                        try {
                            return transactions.getTransaction();
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    })
                    .await().atMost(Duration.ofSeconds(10));
            assertNull(seen, "the callback ran inside the test thread's transaction");
        } finally {
            transactions.rollback();
            other.shutdownNow();
        }
    }
}
