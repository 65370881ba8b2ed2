package io.mehery.gateway.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import io.mehery.gateway.api.ApiException;
import io.mehery.gateway.api.Problem;
import io.mehery.gateway.config.MeheryProperties;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * One transaction, and so one forced write, for many accepts. A request thread does everything that needs no lock
 * (authentication, parsing, signature checks, validation) and hands its write here; the committer takes every write
 * waiting at that moment, runs each in a savepoint of one transaction and commits once, then answers them all.
 * Under load a batch holds tens of writes (they gather while the previous batch commits); a lone write goes alone
 * and at once, unless {@code mehery.store.max-wait} asks the committer to wait for company.
 *
 * <p>A write that breaks a rule (its code throws) is rolled back to its savepoint and fails alone with its own
 * error; the others commit. A batch whose commit fails, or whose savepoint cannot be rolled back (the database is
 * gone), fails every write in it with the database's error: nothing of it is written. The writes waiting here have
 * been promised to nobody: each caller hears back only after its batch committed.
 */
@Component
public class GroupCommit implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(GroupCommit.class);
    /** The write the committer is running now. */
    private static final ThreadLocal<Write<?>> RUNNING = new ThreadLocal<>();

    private final BlockingQueue<Write<?>> waiting = new LinkedBlockingQueue<>();
    private final TransactionTemplate batchTransaction;
    private final TransactionTemplate savepoint;
    private final int maxBatch;
    private final Duration maxWait;
    private final DistributionSummary batchSizes;
    private final Timer commitTimes;
    private volatile Thread committer;
    private ExecutorService answering;
    private boolean accepting;

    @Autowired
    public GroupCommit(PlatformTransactionManager transactions, MeheryProperties properties, MeterRegistry registry) {
        this(transactions, properties.store(), registry);
    }

    GroupCommit(PlatformTransactionManager transactions, MeheryProperties.Store settings, MeterRegistry registry) {
        this.batchTransaction = new TransactionTemplate(transactions);
        this.savepoint = new TransactionTemplate(transactions);
        this.savepoint.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
        this.maxBatch = settings.maxBatch();
        this.maxWait = settings.maxWait();
        this.batchSizes = DistributionSummary.builder("mehery.store.batch.size")
                .description("Writes committed together in one transaction").publishPercentileHistogram()
                .maximumExpectedValue((double) maxBatch).register(registry);
        this.commitTimes = Timer.builder("mehery.store.batch.commit")
                .description("One batch: its writes and its commit").publishPercentileHistogram().register(registry);
        Gauge.builder("mehery.store.batch.waiting", waiting, BlockingQueue::size)
                .description("Writes waiting for the committer").register(registry);
    }

    /**
     * Runs {@code work} in the next batch's transaction and answers its result once that transaction committed, or
     * throws what {@code work} threw, or the database's error. Called from a write already in a batch, it runs
     * there.
     */
    public <T> T write(Supplier<T> work) {
        if (Thread.currentThread() == committer) {
            return work.get();
        }
        Write<T> write = new Write<>(work, MDC.getCopyOfContextMap());
        synchronized (this) {
            if (!accepting) {
                throw new ApiException(503, List.of(Problem.of("SERVICE_UNAVAILABLE", null,
                        "The gateway is stopping; nothing was accepted, retry later")));
            }
            waiting.add(write);
        }
        return write.outcome();
    }

    /**
     * Inside a write: {@code committed} runs once the write's batch committed with it, {@code undone} if the write or
     * its batch was rolled back. Both run beside the committer once the batch is answered, so they must only hand
     * their work on.
     */
    public void afterCommit(Runnable committed, Runnable undone) {
        Write<?> write = RUNNING.get();
        if (write == null) {
            throw new IllegalStateException("afterCommit is for work inside a write");
        }
        write.afterwards.add(new Afterwards(committed, undone));
    }

    /** Writes handed over and not yet taken into a batch. */
    int waiting() {
        return waiting.size();
    }

    /** {@link #write} for work with nothing to answer. */
    public void run(Runnable work) {
        write(() -> {
            work.run();
            return null;
        });
    }

    @Override
    public synchronized void start() {
        accepting = true;
        answering = Executors.newSingleThreadExecutor(runnable -> new Thread(runnable, "group-commit-answers"));
        committer = new Thread(this::commitLoop, "group-commit");
        committer.start();
    }

    /** Takes no new writes, commits those already waiting, then ends. */
    @Override
    public void stop() {
        synchronized (this) {
            accepting = false;
        }
        Thread last = committer;
        if (last == null) {
            return;
        }
        try {
            last.join();
            answering.shutdown();
            answering.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        committer = null;
    }

    @Override
    public synchronized boolean isRunning() {
        return accepting;
    }

    /** Stops after the HTTP server and the routes have finished their requests, before the database closes. */
    @Override
    public int getPhase() {
        return Integer.MIN_VALUE + 1000;
    }

    private void commitLoop() {
        while (true) {
            List<Write<?>> batch = nextBatch();
            if (batch == null) {
                return;
            }
            if (!batch.isEmpty()) {
                commit(batch);
            }
        }
    }

    /** The writes waiting now (after the first, up to max-wait for more); empty to look again; null to end. */
    private List<Write<?>> nextBatch() {
        boolean open;
        synchronized (this) {
            open = accepting;
        }
        List<Write<?>> batch = new ArrayList<>();
        try {
            Write<?> first = open ? waiting.poll(200, TimeUnit.MILLISECONDS) : waiting.poll();
            if (first == null) {
                return open ? batch : null;
            }
            batch.add(first);
            waiting.drainTo(batch, maxBatch - 1);
            long lingerUntil = System.nanoTime() + maxWait.toNanos();
            while (batch.size() < maxBatch && System.nanoTime() < lingerUntil) {
                Write<?> next = waiting.poll(lingerUntil - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (next == null) {
                    break;
                }
                batch.add(next);
                waiting.drainTo(batch, maxBatch - batch.size());
            }
        } catch (InterruptedException ignored) {
            // the committer ends through stop() alone, after the writes it holds: an interrupt only cuts a wait short
        }
        return batch;
    }

    private void commit(List<Write<?>> batch) {
        Timer.Sample sample = Timer.start();
        RuntimeException failed = null;
        try {
            batchTransaction.executeWithoutResult(tx -> batch.forEach(write -> write.runIn(savepoint)));
        } catch (RuntimeException e) {
            LOG.warn("A batch of {} writes failed and was rolled back: {}", batch.size(), e.toString());
            failed = e;
        }
        sample.stop(commitTimes);
        batchSizes.record(batch.size());
        RuntimeException outcome = failed;
        // waking the callers is a system call each: done beside the committer, which goes on to the next batch
        answering.execute(() -> batch.forEach(write -> write.answer(outcome)));
    }

    /** One caller's write: its work, the caller's log context (trace id), and the caller waiting for the outcome. */
    private static final class Write<T> {

        private final Supplier<T> work;
        private final Map<String, String> logContext;
        private final CompletableFuture<T> outcome = new CompletableFuture<>();
        private final List<Afterwards> afterwards = new ArrayList<>(0);
        private T result;
        private RuntimeException refused;

        Write(Supplier<T> work, Map<String, String> logContext) {
            this.work = work;
            this.logContext = logContext;
        }

        /** In its own savepoint: if it throws, what it wrote is undone and the batch goes on without it. */
        void runIn(TransactionTemplate savepoint) {
            if (logContext != null) {
                MDC.setContextMap(logContext);
            }
            RUNNING.set(this);
            try {
                result = savepoint.execute(status -> work.get());
            } catch (RuntimeException e) {
                if (!savepointRolledBack(e)) {
                    throw e;
                }
                refused = e;
            } finally {
                RUNNING.remove();
                MDC.clear();
            }
        }

        /** Its result, its own error, or (null if the batch committed) the batch's. */
        void answer(RuntimeException batchFailure) {
            if (refused != null) {
                outcome.completeExceptionally(refused);
            } else if (batchFailure != null) {
                outcome.completeExceptionally(batchFailure);
            } else {
                outcome.complete(result);
            }
            boolean committed = refused == null && batchFailure == null;
            afterwards.forEach(then -> then.run(committed));
        }

        T outcome() {
            try {
                return outcome.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException cause ? cause : e;
            }
        }

        /** Spring reports a savepoint it could not roll back by throwing that failure instead of the work's. */
        private static boolean savepointRolledBack(RuntimeException e) {
            return !(e instanceof org.springframework.transaction.TransactionException);
        }
    }

    /** What a write asked to follow its outcome. */
    private record Afterwards(Runnable committed, Runnable undone) {

        void run(boolean wasCommitted) {
            try {
                (wasCommitted ? committed : undone).run();
            } catch (RuntimeException e) {
                LOG.warn("What was to follow a write's {} failed: {}", wasCommitted ? "commit" : "rollback",
                        e.toString());
            }
        }
    }
}
