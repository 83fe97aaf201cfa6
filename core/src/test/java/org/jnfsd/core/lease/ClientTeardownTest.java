package org.jnfsd.core.lease;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.jnfsd.core.ServerConfig;
import org.jnfsd.core.session.ClientRecord;
import org.jnfsd.core.session.Principal;
import org.jnfsd.core.session.SessionManager;
import org.jnfsd.core.state.ClientStateHook;
import org.jnfsd.core.state.TeardownStep;
import org.jnfsd.core.time.ManualClock;
import org.junit.jupiter.api.Test;

/**
 * {@link ClientTeardown}: the declared order, and who runs which step. {@code start} only queues
 * the teardown on its executor; {@code tearDown} runs the steps on the caller's thread up to the
 * first that waits and leaves the rest to the executor once that stage completes; a step that
 * throws or fails is counted and the others still run.
 */
class ClientTeardownTest {
    private final ManualClock clock = new ManualClock();
    private final SessionManager sessions = new SessionManager(ServerConfig.defaults(), clock, 0x79, "jnfsd:test");
    private final ArrayDeque<Runnable> executor = new ArrayDeque<>();
    private final List<TeardownStep> ran = new ArrayList<>();

    /** A hook that records its step; {@code stage} (null: done at once) is what its release returns. */
    private ClientStateHook hook(TeardownStep step, CompletionStage<Void> stage, RuntimeException throwing) {
        return new ClientStateHook() {
            @Override
            public TeardownStep step() {
                return step;
            }

            @Override
            public void releaseClient(long clientId) {
                release(clientId);
            }

            @Override
            public CompletionStage<Void> release(long clientId) {
                ran.add(step);
                if (throwing != null) {
                    throw throwing;
                }
                return stage != null ? stage : CompletableFuture.completedStage(null);
            }

            @Override
            public boolean hasState(long clientId) {
                return false;
            }
        };
    }

    private List<ClientStateHook> everyStep() {
        List<ClientStateHook> hooks = new ArrayList<>();
        for (TeardownStep s : TeardownStep.values()) {
            hooks.add(hook(s, null, null));
        }
        return hooks;
    }

    private ClientRecord expired(String owner) throws Exception {
        Principal p = new Principal("sys:1000@" + owner);
        ClientRecord c = sessions.exchangeId(owner.getBytes(StandardCharsets.UTF_8), new byte[8], p, false).client();
        assertThat(sessions.expireNow(c.id().value()).tearDownNow()).isTrue();
        assertThat(c.state()).isEqualTo(ClientRecord.State.EXPIRING);
        return c;
    }

    @Test
    void teardownStep_theDocumentedOrder() {
        // docs/design-notes.md, "Client lifecycle and teardown"; architecture.md's destroy order
        assertThat(TeardownStep.values()).containsExactly(
                TeardownStep.REVOKE_DELEGATIONS,
                TeardownStep.RELEASE_LOCKS,
                TeardownStep.RELEASE_OPENS,
                TeardownStep.STOP_COPIES,
                TeardownStep.KILL_CALLBACK_CHANNEL,
                TeardownStep.WAIT_CALLBACKS_IN_FLIGHT,
                TeardownStep.DROP_TABLES,
                TeardownStep.FORGET_RECOVERY_RECORD);
    }

    @Test
    void tearDown_hooksRegisteredInReverse_runInTheDeclaredOrderThenDestroyed() throws Exception {
        List<ClientStateHook> hooks = everyStep();
        java.util.Collections.reverse(hooks);
        ClientTeardown teardown = new ClientTeardown(sessions, hooks, executor::add);
        ClientRecord c = expired("a");

        CompletableFuture<Void> done = teardown.tearDown(c).toCompletableFuture();

        assertThat(ran).containsExactly(TeardownStep.values());
        assertThat(done).isDone();
        assertThat(c.state()).isEqualTo(ClientRecord.State.DESTROYED);
        assertThat(executor).as("no step waited: nothing left for the executor").isEmpty();
        assertThat(teardown.tornDown()).isEqualTo(1);
    }

    @Test
    void start_nothingRunsOnTheCaller_allStepsOnTheExecutor() throws Exception {
        ClientTeardown teardown = new ClientTeardown(sessions, everyStep(), executor::add);
        ClientRecord c = expired("b");

        CompletableFuture<Void> done = teardown.start(c).toCompletableFuture();

        assertThat(ran).isEmpty();
        assertThat(done).isNotDone();
        assertThat(c.state()).isEqualTo(ClientRecord.State.EXPIRING);
        assertThat(teardown.started()).isEqualTo(1);
        executor.poll().run();
        assertThat(ran).containsExactly(TeardownStep.values());
        assertThat(done).isDone();
        assertThat(c.state()).isEqualTo(ClientRecord.State.DESTROYED);
    }

    @Test
    void tearDown_waitStepPending_callerReturnsAtOnce_restRunsOnTheExecutorWhenItCompletes() throws Exception {
        CompletableFuture<Void> inFlight = new CompletableFuture<>();
        List<ClientStateHook> hooks = new ArrayList<>();
        for (TeardownStep s : TeardownStep.values()) {
            hooks.add(hook(s, s == TeardownStep.WAIT_CALLBACKS_IN_FLIGHT ? inFlight : null, null));
        }
        ClientTeardown teardown = new ClientTeardown(sessions, hooks, executor::add);
        ClientRecord c = expired("c");

        CompletableFuture<Void> done = teardown.tearDown(c).toCompletableFuture();

        List<TeardownStep> upToTheWait = Arrays.asList(TeardownStep.values())
                .subList(0, TeardownStep.WAIT_CALLBACKS_IN_FLIGHT.ordinal() + 1);
        assertThat(ran).as("released on the caller's thread, up to the wait").containsExactlyElementsOf(upToTheWait);
        assertThat(done).isNotDone();
        assertThat(c.state()).isEqualTo(ClientRecord.State.EXPIRING);
        assertThat(executor).isEmpty();

        inFlight.complete(null);
        assertThat(ran).as("the later steps wait for the executor").containsExactlyElementsOf(upToTheWait);
        assertThat(executor).hasSize(1);
        executor.poll().run();

        assertThat(ran).containsExactly(TeardownStep.values());
        assertThat(done).isDone();
        assertThat(c.state()).isEqualTo(ClientRecord.State.DESTROYED);
        assertThat(teardown.hookFailures()).isZero();
    }

    @Test
    void tearDown_stepThrowsAndStageFails_bothCountedTheOthersStillRun() throws Exception {
        List<ClientStateHook> hooks = new ArrayList<>();
        for (TeardownStep s : TeardownStep.values()) {
            hooks.add(switch (s) {
                case RELEASE_LOCKS -> hook(s, null, new IllegalStateException("planted"));
                case STOP_COPIES -> hook(s, CompletableFuture.failedStage(new IllegalStateException("failed")), null);
                default -> hook(s, null, null);
            });
        }
        ClientTeardown teardown = new ClientTeardown(sessions, hooks, executor::add);
        ClientRecord c = expired("d");

        teardown.tearDown(c);

        assertThat(ran).containsExactly(TeardownStep.values());
        assertThat(teardown.hookFailures()).isEqualTo(2);
        assertThat(c.state()).isEqualTo(ClientRecord.State.DESTROYED);
    }

    @Test
    void start_executorRefuses_runsOnTheCallerRatherThanNever() throws Exception {
        Executor refusing = r -> {
            throw new RejectedExecutionException("stopped");
        };
        ClientTeardown teardown = new ClientTeardown(sessions, everyStep(), refusing);
        ClientRecord c = expired("e");

        assertThat(teardown.start(c).toCompletableFuture()).isDone();

        assertThat(ran).containsExactly(TeardownStep.values());
        assertThat(c.state()).isEqualTo(ClientRecord.State.DESTROYED);
    }

    @Test
    void tearDown_shuttingDown_recoveryRecordKept() throws Exception {
        ClientTeardown teardown = new ClientTeardown(sessions, everyStep(), executor::add);
        ClientRecord c = expired("f");
        teardown.beginShutdown();

        teardown.tearDown(c);

        assertThat(ran).doesNotContain(TeardownStep.FORGET_RECOVERY_RECORD).hasSize(TeardownStep.values().length - 1);
        assertThat(c.state()).isEqualTo(ClientRecord.State.DESTROYED);
    }
}
