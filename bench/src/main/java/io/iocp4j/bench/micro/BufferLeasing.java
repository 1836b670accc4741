package io.iocp4j.bench.micro;

import io.iocp4j.buffer.BufferPool;
import io.iocp4j.buffer.IoBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/** A buffer leased from the pool and released back, in nanoseconds, on one thread (the I/O thread's pattern). */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class BufferLeasing {
    @Param({"64", "16384"})
    int bytes;

    private BufferPool pool;

    @Setup
    public void setUp() {
        pool = new BufferPool();
    }

    @TearDown
    public void tearDown() {
        if (pool.leasesOutstanding() != 0) {
            throw new IllegalStateException(pool.leasesOutstanding() + " leases not returned");
        }
    }

    @Benchmark
    public boolean leaseAndRelease() {
        IoBuffer buffer = pool.lease(bytes);
        return buffer.release();
    }
}
