package io.iocp4j.internal.connection;

import io.iocp4j.buffer.BufferPool;
import io.iocp4j.buffer.IoBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SendQueueTest {
    @Test
    void theBatchGrowsToTheLimitInOrderAndGivesEveryBufferBack() {
        BufferPool pool = new BufferPool();
        SendQueue queue = new SendQueue(null);
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
        assertEquals(100 * (64 + SendQueue.ENTRY_OVERHEAD), queue.queuedBytes(),
                "each buffer counts the memory it holds, not the 4 bytes it sends");

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

        count = queue.prepareWrite();
        assertEquals(SendQueue.MAX_BATCH, count);
        assertSame(order[10].byteBuffer(), queue.sources()[0], "the rest of a part-written buffer goes first");
        assertSame(order[64].byteBuffer(), queue.sources()[54], "then what was waiting");
        assertEquals(90, pool.leasesOutstanding(), "the 10 written buffers went back");
        assertEquals(90, queue.releaseAll(), "everything not fully written is dropped");
        assertEquals(0, queue.queuedBytes());
        assertEquals(0, pool.leasesOutstanding());
    }

    @Test
    void aQueueThatNeverSentHasNothingToWriteOrRelease() {
        SendQueue queue = new SendQueue(null);
        queue.closeGate();
        assertTrue(queue.gateReached(), "nothing was queued before the gate");
        queue.openGate();
        assertEquals(0, queue.prepareWrite());
        queue.trim();
        assertEquals(0, queue.releaseAll());
        assertEquals(0, queue.drainInbox());
        assertEquals(0, queue.queuedBytes());
    }

    @Test
    void trimmingKeepsAPartWrittenBatchAndAfterwardsSendsGoOutInOrder() {
        BufferPool pool = new BufferPool();
        SendQueue queue = new SendQueue(null);
        IoBuffer first = filled(pool, 1);
        IoBuffer second = filled(pool, 2);
        queue.offerLocal(first);
        queue.offerLocal(second);
        assertEquals(2, queue.prepareWrite());
        ByteBuffer[] sources = queue.sources();
        sources[0].position(4);
        sources[1].position(1);

        // A part-written buffer is still in the batch: nothing of it may go.
        queue.trim();
        assertEquals(1, queue.prepareWrite());
        assertSame(second.byteBuffer(), queue.sources()[0]);
        queue.sources()[0].position(4);
        assertEquals(0, queue.prepareWrite());
        assertEquals(0, pool.leasesOutstanding(), "both buffers, written whole, went back");

        // Quiet: the arrays go; the next sends make them again, in order, with the same accounting.
        queue.trim();
        IoBuffer third = filled(pool, 3);
        IoBuffer fourth = filled(pool, 4);
        queue.offerLocal(third);
        queue.offer(fourth);
        assertEquals(2 * (64 + SendQueue.ENTRY_OVERHEAD), queue.queuedBytes());
        assertEquals(2, queue.prepareWrite());
        assertNotSame(sources, queue.sources(), "new arrays after the trim");
        assertSame(third.byteBuffer(), queue.sources()[0]);
        assertSame(fourth.byteBuffer(), queue.sources()[1]);
        assertEquals(2, queue.releaseAll());
        assertEquals(0, queue.queuedBytes());
        assertEquals(0, pool.leasesOutstanding());
    }

    @Test
    void threadsSendingFirstTogetherShareOneInboxAndLoseNothing() throws InterruptedException {
        int threads = 4;
        int perThread = 2_000;
        for (int round = 0; round < 50; round++) {
            BufferPool pool = new BufferPool();
            SendQueue queue = new SendQueue(null);
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> senders = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int sender = t;
                senders.add(Thread.ofPlatform().start(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int i = 0; i < perThread; i++) {
                        queue.offer(filled(pool, sender * perThread + i));
                    }
                }));
            }
            start.countDown();
            for (Thread sender : senders) {
                sender.join();
            }
            assertEquals((64L + SendQueue.ENTRY_OVERHEAD) * threads * perThread, queue.queuedBytes());
            Set<Integer> seen = new HashSet<>();
            int[] lastOf = new int[threads];
            java.util.Arrays.fill(lastOf, -1);
            int count;
            while ((count = queue.prepareWrite()) > 0) {
                for (int i = 0; i < count; i++) {
                    ByteBuffer source = queue.sources()[i];
                    int value = source.getInt(0);
                    assertTrue(seen.add(value), "sent once: " + value);
                    int sender = value / perThread;
                    assertTrue(value > lastOf[sender], "each thread's sends in order");
                    lastOf[sender] = value;
                    source.position(source.limit());
                }
            }
            assertEquals(threads * perThread, seen.size(), "round " + round);
            assertEquals(0, queue.queuedBytes());
            assertEquals(0, pool.leasesOutstanding());
        }
    }

    private static IoBuffer filled(BufferPool pool, int value) {
        IoBuffer buffer = pool.lease(8);
        buffer.byteBuffer().putInt(0, value).limit(4);
        return buffer;
    }
}
