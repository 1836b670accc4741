package io.iocp4j.internal;

import io.iocp4j.buffer.BufferPool;
import io.iocp4j.buffer.IoBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class SendQueueTest {
    @Test
    void theBatchGrowsToTheLimitInOrderAndGivesEveryBufferBack() {
        BufferPool pool = new BufferPool();
        SendQueue queue = new SendQueue();
        IoBuffer[] sent = new IoBuffer[100];
        for (int i = 0; i < sent.length; i++) {
            sent[i] = pool.lease(8);
            sent[i].byteBuffer().putInt(0, i).limit(4);
            if (i % 2 == 0) {
                queue.offerLocal(sent[i]);
            } else {
                queue.offer(sent[i]);
            }
        }
        assertEquals(400, queue.queuedBytes());

        int count = queue.prepareWrite();
        assertEquals(SendQueue.MAX_BATCH, count, "the batch grew from " + SendQueue.FIRST_BATCH + " to the limit");
        // A send made on the port thread (the even ones here) takes what other threads queued before it first, so
        // the sends go out in the order they were made, whoever made them.
        IoBuffer[] order = sent;
        ByteBuffer[] sources = queue.sources();
        for (int i = 0; i < count; i++) {
            assertSame(order[i].byteBuffer(), sources[i], "source " + i);
        }
        // The socket takes the first 10 and half of the 11th.
        for (int i = 0; i < 10; i++) {
            sources[i].position(4);
        }
        sources[10].position(2);
        queue.written(42);

        count = queue.prepareWrite();
        assertEquals(SendQueue.MAX_BATCH, count);
        assertSame(order[10].byteBuffer(), queue.sources()[0], "the rest of a part-written buffer goes first");
        assertSame(order[64].byteBuffer(), queue.sources()[54], "then what was waiting");
        assertEquals(90, pool.leasesOutstanding(), "the 10 written buffers went back");
        assertEquals(90, queue.releaseAll(), "everything not fully written is dropped");
        assertEquals(0, queue.queuedBytes());
        assertEquals(0, pool.leasesOutstanding());
    }
}
