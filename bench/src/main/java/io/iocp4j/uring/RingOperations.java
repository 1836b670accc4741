package io.iocp4j.uring;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.util.concurrent.TimeUnit;

/**
 * The io_uring transport's own costs per operation, on a ring of NOPs (so the kernel does next to nothing): preparing
 * and submitting a batch of entries (one io_uring_enter per batch, as the I/O thread does), and taking completions
 * off the queue and handing each to a handler. Lives in the transport's package to reach its package-private ring;
 * this works on the class path, where bin/iocp4j-bench runs.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RingOperations {
    static final int BATCH = 64;

    private Arena arena;
    private Ring ring;
    private Blackhole sinkHole;
    private final CompletionQueue.Handler handler = (userData, result, flags) -> sinkHole.consume(userData ^ result);

    @Setup(Level.Trial)
    public void setUp(Blackhole blackhole) throws IOException {
        sinkHole = blackhole;
        arena = Arena.ofShared();
        ring = Ring.open(BATCH * 4, BATCH * 8, 0, arena);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        ring.close();
        arena.close();
    }

    /** Fills the completion queue with a batch of NOP completions before each call of the dispatch benchmark. */
    @State(Scope.Thread)
    public static class PostedCompletions {
        @Setup(Level.Invocation)
        public void post(RingOperations state) {
            for (int i = 0; i < BATCH; i++) {
                state.ring.submissions().nop(i);
            }
            state.ring.submitQueued();
            if (state.ring.completions().ready() < BATCH) {
                throw new IllegalStateException("NOPs did not complete inline");
            }
        }
    }

    /** Prepares a batch of NOP entries and submits them with one io_uring_enter; then clears their completions. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int prepareAndSubmit() {
        SubmissionQueue submissions = ring.submissions();
        for (int i = 0; i < BATCH; i++) {
            submissions.nop(i);
        }
        ring.submitQueued();
        return ring.completions().drain(handler);
    }

    /** Takes a batch of posted completions off the queue, each to the handler. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int dispatchCompletions(PostedCompletions posted) {
        return ring.completions().drain(handler);
    }
}
