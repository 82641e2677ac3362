package gevent4j.server;

import static gevent4j.server.ReadinessLoopTest.withServer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gevent4j.internal.hub.Readiness;
import gevent4j.internal.jdk.SocketEvents;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 14's direct reads and writes go past the JDK's socket streams, which record the JFR events
 * {@code jdk.SocketRead} and {@code jdk.SocketWrite}: gevent4j records them itself, so that a
 * recording sees every byte a connection's greenlet read and wrote, once, as with the JDK's sockets.
 */
@Timeout(60)
class DirectIoJfrEventsTest {
    private static final int EXCHANGES = 20;

    @Test
    void everyByteADirectReadOrWriteMovesIsRecordedOnceAsTheJdksSocketEvents() throws Exception {
        assertTrue(Readiness.ENABLED && SocketEvents.AVAILABLE, "needs the readiness loop and the JDK's socket event classes");
        AtomicInteger clientPort = new AtomicInteger();
        long sent = 0;
        Path dump = Files.createTempFile("direct-io", ".jfr");
        try (Recording recording = new Recording()) {
            recording.enable("jdk.SocketRead").withThreshold(Duration.ZERO).with("throttle", "off");
            recording.enable("jdk.SocketWrite").withThreshold(Duration.ZERO).with("throttle", "off");
            recording.start();
            long[] total = new long[1];
            withServer((socket, peer) -> {   // echoes until end of stream: all but its first read are direct
                InputStream in = socket.getInputStream();
                OutputStream out = socket.getOutputStream();
                byte[] buf = new byte[256];
                int n;
                while ((n = in.read(buf)) > 0) out.write(buf, 0, n);
            }, a -> {
                try (Socket c = new Socket(a.getAddress(), a.getPort())) {
                    c.setSoTimeout(10_000);
                    clientPort.set(c.getLocalPort());
                    for (int i = 0; i < EXCHANGES; i++) {
                        byte[] line = ("exchange " + i + "\n").getBytes(StandardCharsets.US_ASCII);
                        c.getOutputStream().write(line);
                        assertEquals(line.length, c.getInputStream().readNBytes(line.length).length);
                        total[0] += line.length;
                    }
                    c.shutdownOutput();
                    assertEquals(-1, c.getInputStream().read());   // the handler saw the end and returned
                }
            });
            sent = total[0];
            recording.stop();
            recording.dump(dump);
        }
        try {
            // The server's events name the client's port as the remote one.
            List<RecordedEvent> server = RecordingFile.readAllEvents(dump).stream()
                    .filter(e -> e.getInt("port") == clientPort.get()).toList();
            long read = server.stream().filter(e -> e.getEventType().getName().equals("jdk.SocketRead")).mapToLong(e -> e.getLong("bytesRead")).sum();
            long written = server.stream().filter(e -> e.getEventType().getName().equals("jdk.SocketWrite")).mapToLong(e -> e.getLong("bytesWritten")).sum();
            long reads = server.stream().filter(e -> e.getEventType().getName().equals("jdk.SocketRead") && e.getLong("bytesRead") > 0).count();
            long ends = server.stream().filter(e -> e.getEventType().getName().equals("jdk.SocketRead") && e.getBoolean("endOfStream")).count();
            assertEquals(sent, read, "bytes read, as recorded: " + server);
            assertEquals(sent, written, "bytes written, as recorded: " + server);
            assertEquals(EXCHANGES, reads, "one event a read that returned data");
            assertEquals(1, ends, "one event for the end of stream");
        } finally {
            Files.deleteIfExists(dump);
        }
    }
}
