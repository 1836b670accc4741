package io.iocp4j;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AttributesTest {
    private static final AttributeKey<String> NICK = AttributeKey.of("nick", String.class);
    private static final AttributeKey<Integer> COUNT = AttributeKey.of("count", Integer.class);

    @Test
    void keepsOneTypedValuePerKeyAndRemovesItWithNull() {
        Attributes attributes = new Attributes();
        assertNull(attributes.get(NICK), "nothing before the first write");
        assertNull(attributes.set(NICK, "ada"));
        attributes.set(COUNT, 3);
        assertEquals("ada", attributes.get(NICK));
        assertEquals(3, attributes.get(COUNT));
        assertEquals("ada", attributes.set(NICK, "bob"), "the value it replaced");
        assertEquals("bob", attributes.set(NICK, null));
        assertNull(attributes.get(NICK));
        assertEquals(3, attributes.get(COUNT), "other keys untouched");
    }

    @Test
    void keysOfTheSameNameAreStillTwoKeys() {
        Attributes attributes = new Attributes();
        AttributeKey<String> other = AttributeKey.of("nick", String.class);
        attributes.set(NICK, "ada");
        assertNull(attributes.get(other));
    }

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void aValueOfTheWrongTypeIsRefusedWhenStoredNotWhenRead() {
        Attributes attributes = new Attributes();
        AttributeKey raw = COUNT;
        assertThrows(ClassCastException.class, () -> attributes.set(raw, "three"));
        assertNull(attributes.get(COUNT));
    }

    @Test
    void computeIfAbsentMakesTheValueOnceWhateverTheThreads() throws InterruptedException {
        AttributeKey<List<String>> list = AttributeKey.of("list", (Class<List<String>>) (Class<?>) List.class);
        for (int round = 0; round < 200; round++) {
            Attributes attributes = new Attributes();
            AtomicInteger made = new AtomicInteger();
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            List<Object> seen = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int t = 0; t < 4; t++) {
                threads.add(Thread.ofPlatform().start(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    seen.add(attributes.computeIfAbsent(list, key -> {
                        made.incrementAndGet();
                        return new ArrayList<>();
                    }));
                }));
            }
            go.countDown();
            for (Thread thread : threads) {
                thread.join();
            }
            assertEquals(1, made.get(), "made once in round " + round);
            for (Object value : seen) {
                assertSame(seen.getFirst(), value);
            }
        }
    }
}
