package gevent4j.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** A raw-socket HTTP/1.1 client for tests: sends exact bytes, parses responses strictly. */
final class RawClient implements AutoCloseable {
    /** One parsed response; header names lower-cased. */
    record Response(int status, String statusLine, Map<String, String> headers, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    RawClient(InetSocketAddress address) throws IOException {
        socket = new Socket(address.getAddress(), address.getPort());
        socket.setSoTimeout(20_000);
        in = new java.io.BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    RawClient send(String text) throws IOException {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    RawClient send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** Sets how long each read may wait (the default is 20 s). */
    RawClient readTimeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
        return this;
    }

    /** Reads everything until the server closes the connection (a reset ends it too). */
    byte[] readToEnd() throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        try {
            for (int n; (n = in.read(chunk)) > 0; ) all.write(chunk, 0, n);
        } catch (java.net.SocketException reset) {
            // the bytes before the reset are what the client got
        }
        return all.toByteArray();
    }

    /** Reads only the status line of a response. */
    String readStatusLine() throws IOException {
        return line();
    }

    /** Reads one response; {@code head}: the request was HEAD, so no body follows. */
    Response read(boolean head) throws IOException {
        String statusLine = line();
        if (statusLine == null) throw new IOException("connection closed before a response");
        int status = Integer.parseInt(statusLine.substring(9, 12));
        Map<String, String> headers = new LinkedHashMap<>();
        for (String l = line(); l != null && !l.isEmpty(); l = line()) {
            int colon = l.indexOf(':');
            headers.merge(l.substring(0, colon).trim().toLowerCase(Locale.ROOT), l.substring(colon + 1).trim(), (a, b) -> a + ", " + b);
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (head || status / 100 == 1 || status == 204 || status == 304) {
            return new Response(status, statusLine, headers, body.toByteArray());
        }
        String te = headers.get("transfer-encoding");
        String cl = headers.get("content-length");
        if (te != null && te.equalsIgnoreCase("chunked")) {
            while (true) {
                int size = Integer.parseInt(line().trim(), 16);
                if (size == 0) {
                    while (!line().isEmpty()) { /* trailers */ }
                    break;
                }
                body.write(in.readNBytes(size));
                if (!line().isEmpty()) throw new IOException("bad chunk end");
            }
        } else if (cl != null) {
            body.write(in.readNBytes(Integer.parseInt(cl)));
        } else {
            body.write(in.readAllBytes());
        }
        return new Response(status, statusLine, headers, body.toByteArray());
    }

    Response read() throws IOException {
        return read(false);
    }

    Response exchange(String request) throws IOException {
        send(request);
        return read();
    }

    /** True when the server closed the connection: the next read ends the stream (or is reset). */
    boolean closedByServer() throws IOException {
        try {
            return in.read() == -1;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;   // connection reset
        }
    }

    /** Like {@link #closedByServer()}, waiting at most 300 ms: for asserting that a connection stays open. */
    boolean closedByServerWithin() throws IOException {
        int old = socket.getSoTimeout();
        socket.setSoTimeout(300);
        try {
            return closedByServer();
        } finally {
            socket.setSoTimeout(old);
        }
    }

    private String line() throws IOException {
        return line(in);
    }

    /** Reads one line ending in LF (a CR before it dropped); null at end of stream before any byte. */
    static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                int n = sb.length();
                if (n > 0 && sb.charAt(n - 1) == '\r') sb.setLength(n - 1);
                return sb.toString();
            }
            sb.append((char) c);
        }
        return sb.isEmpty() ? null : sb.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
