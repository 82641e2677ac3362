package gevent4j.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The server's spare response buffers, and Http1Output holding one only while it has bytes to send. */
class OutputBuffersTest {
    @Test
    void aGivenBackBufferIsTheNextOneTakenAndAnEmptyPoolMakesNewOnes() {
        OutputBuffers pool = new OutputBuffers(2);
        byte[] a = pool.take();
        byte[] b = pool.take();
        assertNotSame(a, b);
        assertEquals(OutputBuffers.SIZE, a.length);
        pool.give(a);
        assertEquals(1, pool.spareCount());
        assertSame(a, pool.take());
        assertEquals(0, pool.spareCount());
    }

    @Test
    void aFullPoolKeepsOnlyAsManyBuffersAsItHasSlots() {
        OutputBuffers pool = new OutputBuffers(2);
        byte[][] taken = {pool.take(), pool.take(), pool.take()};
        for (byte[] b : taken) pool.give(b);
        assertEquals(2, pool.spareCount());
    }

    @Test
    void aPoolWithoutSlotsIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new OutputBuffers(0));
    }

    @Test
    void threadsTakingAndGivingAtOnceNeverHoldTheSameBuffer() throws Exception {
        OutputBuffers pool = new OutputBuffers(3);
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                byte mark = (byte) (t + 1);
                Callable<Integer> worker = () -> {
                    int clashes = 0;
                    for (int i = 0; i < 20_000; i++) {
                        byte[] b = pool.take();
                        Arrays.fill(b, 0, 64, mark);
                        Thread.onSpinWait();
                        for (int k = 0; k < 64; k++) if (b[k] != mark) clashes++;
                        pool.give(b);
                    }
                    return clashes;
                };
                results.add(threads.submit(worker));
            }
            for (Future<Integer> r : results) assertEquals(0, r.get(60, TimeUnit.SECONDS));
        } finally {
            threads.shutdownNow();
        }
        assertTrue(pool.spareCount() <= 3);
    }

    @Test
    void keepAliveConnectionsThatWentIdleHaveGivenTheirResponseBuffersBackToTheServersPool() throws Exception {
        try (TestServer server = new TestServer().with("/", ex -> TestServer.reply(ex, 200, "hi")).start()) {
            OutputBuffers pool = server.server.engine().outputBuffers();
            List<RawClient> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 5; i++) {
                    RawClient c = server.raw();
                    clients.add(c);
                    assertEquals("hi", c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read().text());
                }
                // Five connections open and idle: their one buffer went back (given after the
                // write returned, so maybe just after the client read the answer).
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (pool.spareCount() == 0 && System.nanoTime() < deadline) Thread.sleep(5);
                assertEquals(1, pool.spareCount());
            } finally {
                for (RawClient c : clients) c.close();
            }
        }
    }

    @Test
    void anOutputHoldsABufferOnlyUntilAFlushEmptiesItAndTheNextOutputReusesIt() throws IOException {
        OutputBuffers pool = new OutputBuffers(1);
        ByteArrayOutputStream socket = new ByteArrayOutputStream();
        Http1Output first = new Http1Output(socket, pool);
        assertFalse(first.holdsBuffer());
        first.writeLatin1("HTTP/1.1 200 OK");
        first.crlf();
        assertTrue(first.holdsBuffer());
        first.flush();
        assertFalse(first.holdsBuffer());
        assertEquals(1, pool.spareCount());

        Http1Output second = new Http1Output(socket, pool);
        second.write("hello".getBytes(StandardCharsets.US_ASCII));
        assertEquals(0, pool.spareCount());   // the second connection writes in the first one's buffer
        second.flush();
        assertEquals("HTTP/1.1 200 OK\r\nhello", socket.toString(StandardCharsets.US_ASCII));
        assertEquals(1, pool.spareCount());
    }

    @Test
    void aFailedSocketWriteStillGivesTheBufferBack() throws IOException {
        OutputBuffers pool = new OutputBuffers(1);
        Http1Output out = new Http1Output(new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("reset by peer");
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                throw new IOException("reset by peer");
            }
        }, pool);
        out.write(new byte[] {1, 2, 3});
        assertThrows(IOException.class, out::flush);
        assertTrue(out.failed());
        assertFalse(out.holdsBuffer());
        assertEquals(1, pool.spareCount());
    }

    @Test
    void aRewindToNothingGivesTheBufferBackAndLaterBytesStillLeaveInOrder() throws IOException {
        OutputBuffers pool = new OutputBuffers(1);
        ByteArrayOutputStream socket = new ByteArrayOutputStream();
        Http1Output out = new Http1Output(socket, pool);
        long mark = out.mark();
        out.writeLatin1("a head that failed half-way");
        assertTrue(out.rewind(mark));
        assertFalse(out.holdsBuffer());
        out.writeDecimal(42);
        out.write(new byte[OutputBuffers.SIZE]);   // does not fit: 42 leaves first, then the large write
        out.flush();
        byte[] sent = socket.toByteArray();
        assertEquals(2 + OutputBuffers.SIZE, sent.length);
        assertArrayEquals("42".getBytes(StandardCharsets.US_ASCII), Arrays.copyOf(sent, 2));
        assertEquals(1, pool.spareCount());
    }
}
