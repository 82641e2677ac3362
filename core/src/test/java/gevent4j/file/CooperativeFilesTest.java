package gevent4j.file;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gevent4j.Gevent;
import gevent4j.Greenlet;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CooperativeFiles: file calls that run on the thread pool while the greenlet waits (issue 11, §4).
 * A FIFO stands in for a slow disk: opening or reading it blocks until a writer comes, and the
 * writer is another greenlet of the same hub, which could never run if the reader held the hub.
 */
@org.junit.jupiter.api.Timeout(60)
class CooperativeFilesTest {
    @TempDir
    Path dir;

    private Path fifo() throws Exception {
        Path f = dir.resolve("fifo");
        Process p = new ProcessBuilder("mkfifo", f.toString()).start();
        assertEquals(0, p.waitFor());
        return f;
    }

    @Test
    void readAllBytesAndWriteRoundTripLargeEmptyAndSizelessFiles() throws Exception {
        byte[] data = new byte[3 * (1 << 20) + 12345];   // several 1 MiB slices and a tail
        new Random(11).nextBytes(data);
        Path big = dir.resolve("big");
        Path empty = dir.resolve("empty");
        Gevent.run(() -> {
            assertEquals(big, CooperativeFiles.write(big, data));
            assertArrayEquals(data, CooperativeFiles.readAllBytes(big));
            CooperativeFiles.write(empty, new byte[0]);
            assertEquals(0, CooperativeFiles.readAllBytes(empty).length);
            // /proc files report size 0 but have content.
            assertTrue(new String(CooperativeFiles.readAllBytes(Path.of("/proc/self/status")), StandardCharsets.UTF_8).contains("Pid:"));
            CooperativeFiles.writeString(dir.resolve("text"), "héllo");
            assertEquals("héllo", CooperativeFiles.readString(dir.resolve("text")));
            return null;
        });
        assertArrayEquals(data, CooperativeFiles.readAllBytes(big));   // a plain thread: directly
    }

    @Test
    void aReadThatBlocksLetsAnotherGreenletOfTheHubRun() throws Exception {
        Path f = fifo();
        String got = Gevent.run(() -> {
            Greenlet<String> reader = Gevent.spawn(() -> new String(CooperativeFiles.readAllBytes(f), StandardCharsets.UTF_8));
            Greenlet<Void> writer = Gevent.spawn(() -> {
                try (OutputStream out = CooperativeFiles.newOutputStream(f)) {
                    out.write("through the fifo".getBytes(StandardCharsets.UTF_8));
                }
            });
            writer.get();
            return reader.get();
        });
        assertEquals("through the fifo", got);
    }

    @Test
    void streamsRoundTripAndAKilledReadKeepsItsBytesForTheNextRead() throws Exception {
        Path f = fifo();
        Gevent.run(() -> {
            Greenlet<InputStream> opener = Gevent.spawn(() -> CooperativeFiles.newInputStream(f));
            OutputStream out = CooperativeFiles.newOutputStream(f);   // opening the write end lets the read end open
            InputStream in = opener.get();
            List<String> events = new ArrayList<>();
            Greenlet<Integer> reader = Gevent.spawn(() -> {
                try {
                    return in.read();
                } finally {
                    events.add("reader finally");
                }
            });
            Gevent.sleep(Duration.ofMillis(50));
            reader.kill();
            assertEquals(List.of("reader finally"), events);
            out.write("xyz".getBytes(StandardCharsets.UTF_8));
            out.close();
            assertEquals("xyz", new String(in.readAllBytes(), StandardCharsets.UTF_8));
            in.close();
            return null;
        });
    }

    @Test
    void aChannelReadsWritesForcesAndTruncatesInThePool() throws Exception {
        Path p = dir.resolve("channel");
        Gevent.run(() -> {
            try (FileChannel ch = CooperativeFiles.open(p, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                assertEquals(5, ch.write(ByteBuffer.wrap("hello".getBytes(StandardCharsets.UTF_8))));
                assertEquals(6, ch.write(ByteBuffer.wrap(" world".getBytes(StandardCharsets.UTF_8)), 5));
                ch.force(true);
                assertEquals(11, ch.size());
                ByteBuffer b = ByteBuffer.allocate(5);
                assertEquals(5, ch.read(b, 6));
                assertEquals("world", new String(b.array(), StandardCharsets.UTF_8));
                ch.truncate(5);
                assertEquals(5, ch.size());
                assertTrue(ch.lock().isValid());
            }
            return null;
        });
        assertEquals("hello", Files.readString(p));
    }

    @Test
    void aKilledChannelReadFinishesItsOperationFirstAndTheChannelStaysOpen() throws Exception {
        Path f = fifo();
        Gevent.run(() -> {
            Greenlet<FileChannel> opener = Gevent.spawn(() -> CooperativeFiles.open(f, StandardOpenOption.READ));
            OutputStream out = CooperativeFiles.newOutputStream(f);
            FileChannel ch = opener.get();
            List<String> events = new ArrayList<>();
            ByteBuffer buf = ByteBuffer.allocate(16);
            Greenlet<Integer> reader = Gevent.spawn(() -> {
                try {
                    return ch.read(buf);
                } finally {
                    events.add("reader finally, " + buf.position() + " bytes in the buffer");
                }
            });
            Gevent.sleep(Duration.ofMillis(50));
            Greenlet<Void> killer = Gevent.spawn(() -> reader.kill());
            Gevent.sleep(Duration.ofMillis(100));
            events.add("writer writes");
            out.write("ab".getBytes(StandardCharsets.UTF_8));
            out.flush();
            killer.get();
            reader.join();
            assertTrue(reader.isSuccessful(), "killed by GreenletExit");
            assertEquals(List.of("writer writes", "reader finally, 2 bytes in the buffer"), events);
            assertTrue(ch.isOpen(), "a kill must not close the channel");
            out.close();
            ch.close();
            return null;
        });
    }
}
