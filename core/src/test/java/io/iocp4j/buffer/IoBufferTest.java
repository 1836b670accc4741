package io.iocp4j.buffer;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IoBufferTest {
    private final List<IoBuffer> recycled = new ArrayList<>();

    private IoBuffer leased(int capacity) {
        MemorySegment memory = Arena.ofAuto().allocate(capacity);
        for (int i = 0; i < capacity; i++) {
            memory.set(ValueLayout.JAVA_BYTE, i, (byte) i);
        }
        return new IoBuffer(memory, recycled::add).reuse();
    }

    @Test
    void aShareSeesItsRangeAndKeepsTheWholeBufferUntilReleased() {
        IoBuffer whole = leased(256);
        IoBuffer share = whole.share(16, 48);

        ByteBuffer bytes = share.byteBuffer();
        assertEquals(0, bytes.position());
        assertEquals(32, bytes.remaining());
        for (int i = 0; i < 32; i++) {
            assertEquals((byte) (16 + i), bytes.get(i));
        }
        assertEquals(2, whole.refCount());

        // Its holder lets go first, as a receive does once its handler returns: the share still holds it.
        assertFalse(whole.release());
        assertEquals(List.of(), recycled);
        assertTrue(share.release());
        assertEquals(List.of(whole), recycled, "the whole buffer goes back once the share is released");
        assertEquals(0, whole.refCount());
    }

    @Test
    void aShareMovesItsOwnWindowOnly() {
        IoBuffer whole = leased(64);
        whole.byteBuffer().position(8).limit(40);
        IoBuffer share = whole.share(8, 40);
        share.byteBuffer().position(30);

        assertEquals(8, whole.byteBuffer().position());
        assertEquals(40, whole.byteBuffer().limit());
        assertEquals(2, share.byteBuffer().remaining());
        share.release();
        whole.release();
    }

    @Test
    void aReleasedBufferCannotBeShared() {
        IoBuffer whole = leased(64);
        whole.release();
        assertThrows(IllegalStateException.class, () -> whole.share(0, 8));
    }

    @Test
    void ownersAreNotRunningLowUnlessTheySaySo() {
        IoBuffer plain = leased(64);
        assertFalse(plain.ownerRunningLow());
        IoBuffer scarce = new IoBuffer(Arena.ofAuto().allocate(64), new IoBuffer.Recycler() {
            @Override
            public void recycle(IoBuffer buffer) {
                recycled.add(buffer);
            }

            @Override
            public boolean runningLow() {
                return true;
            }
        }).reuse();
        assertTrue(scarce.ownerRunningLow());
    }
}
