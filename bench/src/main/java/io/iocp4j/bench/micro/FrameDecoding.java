package io.iocp4j.bench.micro;

import io.iocp4j.buffer.BufferPool;
import io.iocp4j.frame.FrameDecoder;
import io.iocp4j.frame.FrameError;
import io.iocp4j.frame.Framing;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.nio.ByteBuffer;

/**
 * Frame decoding speed in bytes per second (divide the score by 1e9 for GB/s): 64 KiB of length-prefixed frames,
 * handed to the decoder whole (every frame lies in the input, no copy), and one byte at a time (every frame gathered
 * into a leased buffer: the worst a trickling peer can do).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FrameDecoding {
    static final int INPUT_BYTES = 64 * 1024;

    @Param({"64", "4096"})
    int frameBytes;

    private BufferPool pool;
    private FrameDecoder decoder;
    private ByteBuffer input;
    private ByteBuffer[] singleBytes;
    private Blackhole sinkHole;
    private final FrameDecoder.FrameSink sink = frame -> {
        sinkHole.consume(frame);
        return true;
    };

    @Setup
    public void setUp(Blackhole blackhole) {
        sinkHole = blackhole;
        pool = new BufferPool();
        decoder = Framing.lengthPrefixed(4, 1 << 20).newDecoder(pool);
        int frames = INPUT_BYTES / (4 + frameBytes);
        input = ByteBuffer.allocateDirect(frames * (4 + frameBytes));
        for (int i = 0; i < frames; i++) {
            input.putInt(frameBytes);
            for (int j = 0; j < frameBytes; j++) {
                input.put((byte) j);
            }
        }
        input.flip();
        singleBytes = new ByteBuffer[input.limit()];
        for (int i = 0; i < singleBytes.length; i++) {
            singleBytes[i] = input.slice(i, 1);
        }
    }

    @TearDown
    public void tearDown() {
        decoder.release();
        if (pool.leasesOutstanding() != 0) {
            throw new IllegalStateException(pool.leasesOutstanding() + " leases not returned");
        }
    }

    @Benchmark
    @OperationsPerInvocation(INPUT_BYTES)
    public FrameError wholeFrames() {
        return decoder.decode(input.duplicate(), sink);
    }

    @Benchmark
    @OperationsPerInvocation(INPUT_BYTES)
    public FrameError oneByteAtATime() {
        FrameError error = null;
        for (ByteBuffer single : singleBytes) {
            error = decoder.decode(single.duplicate(), sink);
        }
        return error;
    }
}
