package gevent4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 9, defect 1: a fresh {@code serve-http} that runs out of file descriptors must serve
 * again once descriptors are free, with complete responses. The server runs in a forked JVM
 * under {@code ulimit -n 256}; this JVM opens 300 connections that each send a request before
 * anything was answered, closes them, and then asks again. Before the fix the accept loop's
 * first warning made the JDK load its time-zone data with no descriptor left; the
 * {@code java.lang.Error} ended the loop (and broke the JDK's time-zone class for good), so the
 * server never answered again.
 */
@Timeout(120)
class DescriptorExhaustionTest {
    private static final byte[] REQUEST = "GET / HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final String EXPECTED_BODY = "Hello world!";
    private static final int FLOOD = 300;
    private static final int EPISODES = 2;

    @Test
    void serveHttpServesCompleteResponsesAgainAfterRunningOutOfDescriptors() throws Exception {
        var r = ServeCommandsTest.start(List.of("bash", "-c", "ulimit -n 256 && exec \"$@\"", "bash"),
                "serve-http", "--port", "0");
        try {
            for (int episode = 1; episode <= EPISODES; episode++) {
                flood(r.port());
                // The server backs off (up to 1 s) while accept fails, so the first answer may take a moment.
                long deadline = System.nanoTime() + 30_000_000_000L;
                String first = null;
                while (first == null) {
                    try {
                        first = exchange(r.port());
                    } catch (IOException e) {
                        if (System.nanoTime() > deadline) {
                            fail("episode " + episode + ": no answer within 30 s after the flood (" + e + "); server output:\n" + r.text());
                        }
                        Thread.sleep(200);
                    }
                }
                assertComplete(first, r);
                for (int i = 0; i < 20; i++) assertComplete(exchange(r.port()), r);
            }
        } finally {
            r.process().destroyForcibly();
            r.process().waitFor();
        }
        String out = r.text();
        assertTrue(!out.contains("ZoneInfoFile") && !out.contains("NoClassDefFoundError") && !out.contains("ExceptionInInitializerError"),
                "nothing the server needs was loaded late:\n" + out);
        long warnings = out.lines().filter(l -> l.contains("Too many open files")).count();
        assertTrue(warnings <= 2L * EPISODES, "out of descriptors is logged once per episode, not per failed accept ("
                + warnings + " lines):\n" + out);
    }

    /** Opens FLOOD connections that each send a request before anything is read, then closes them all. */
    private static void flood(int port) throws Exception {
        List<Socket> open = new ArrayList<>(FLOOD);
        try {
            for (int i = 0; i < FLOOD; i++) {
                Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
                open.add(s);
                s.getOutputStream().write(REQUEST);
            }
            Thread.sleep(1000);   // the server accepts until it runs out of descriptors
        } finally {
            for (Socket s : open) s.close();
        }
    }

    /** One request on a new connection; returns everything the server sent until it closed. */
    private static String exchange(int port) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(5_000);
            s.getOutputStream().write("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            var all = new ByteArrayOutputStream();
            in.transferTo(all);
            if (all.size() == 0) throw new IOException("closed without an answer");
            return all.toString(StandardCharsets.ISO_8859_1);
        }
    }

    /** One status line, a Date header, the 12-byte body, nothing more. */
    private static void assertComplete(String response, ServeCommandsTest.Running r) {
        String why = "response:\n" + response + "\nserver output:\n" + r.text();
        assertTrue(response.startsWith("HTTP/1.1 200 OK\r\n"), why);
        assertEquals(response.indexOf("HTTP/1."), response.lastIndexOf("HTTP/1."), "exactly one status line; " + why);
        int end = response.indexOf("\r\n\r\n");
        assertTrue(end > 0, why);
        String head = response.substring(0, end);
        assertTrue(head.contains("\r\nDate: "), why);
        assertTrue(head.toLowerCase().contains("\r\ncontent-length: 12"), why);
        assertEquals(EXPECTED_BODY, response.substring(end + 4), why);
    }
}
