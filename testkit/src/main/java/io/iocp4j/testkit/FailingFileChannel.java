package io.iocp4j.testkit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/**
 * A file channel whose writes fail, as a full or broken disk's would, once {@code writesBeforeFailure} bytes have
 * been written through it; everything else goes to the real channel it wraps.
 */
public final class FailingFileChannel extends FileChannel {
    private final FileChannel channel;
    private long allowance;

    public FailingFileChannel(FileChannel channel, long writesBeforeFailure) {
        this.channel = channel;
        this.allowance = writesBeforeFailure;
    }

    private int allow(ByteBuffer source) throws IOException {
        if (allowance <= 0) {
            throw new IOException("No space left on device (injected)");
        }
        int length = (int) Math.min(source.remaining(), allowance);
        allowance -= length;
        return length;
    }

    @Override
    public int write(ByteBuffer source) throws IOException {
        int length = allow(source);
        ByteBuffer part = source.slice(source.position(), length);
        int written = channel.write(part);
        source.position(source.position() + written);
        return written;
    }

    @Override
    public int write(ByteBuffer source, long position) throws IOException {
        int length = allow(source);
        ByteBuffer part = source.slice(source.position(), length);
        int written = channel.write(part, position);
        source.position(source.position() + written);
        return written;
    }

    @Override
    public long write(ByteBuffer[] sources, int offset, int length) throws IOException {
        long written = 0;
        for (int i = offset; i < offset + length; i++) {
            written += write(sources[i]);
        }
        return written;
    }

    @Override
    public int read(ByteBuffer target) throws IOException {
        return channel.read(target);
    }

    @Override
    public long read(ByteBuffer[] targets, int offset, int length) throws IOException {
        return channel.read(targets, offset, length);
    }

    @Override
    public int read(ByteBuffer target, long position) throws IOException {
        return channel.read(target, position);
    }

    @Override
    public long position() throws IOException {
        return channel.position();
    }

    @Override
    public FileChannel position(long position) throws IOException {
        channel.position(position);
        return this;
    }

    @Override
    public long size() throws IOException {
        return channel.size();
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
        channel.truncate(size);
        return this;
    }

    @Override
    public void force(boolean metaData) throws IOException {
        channel.force(metaData);
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
        throw unused();
    }

    @Override
    public long transferFrom(ReadableByteChannel source, long position, long count) throws IOException {
        throw unused();
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
        throw unused();
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) throws IOException {
        throw unused();
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
        throw unused();
    }

    /** What the store never calls. */
    private static IOException unused() {
        return new IOException("not used by the store");
    }

    @Override
    protected void implCloseChannel() throws IOException {
        channel.close();
    }
}
