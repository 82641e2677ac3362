package gevent4j.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Http1Output's number writers: the digits reach the socket exactly as Long.toString spells them. */
class Http1OutputTest {
    @Test
    void writeDecimalSpellsEveryLengthAsLongToStringDoes() throws IOException {
        long[] values = {0, 7, 9, 10, 12, 99, 100, 65_536, 1_000_000_007L, Long.MAX_VALUE, -1, Long.MIN_VALUE};
        ByteArrayOutputStream socket = new ByteArrayOutputStream();
        Http1Output out = new Http1Output(socket, new OutputBuffers(1));
        StringBuilder expected = new StringBuilder();
        for (long v : values) {
            out.writeDecimal(v);
            out.write(',');
            expected.append(v).append(',');
        }
        out.flush();
        assertEquals(expected.toString(), socket.toString(StandardCharsets.US_ASCII));
        assertEquals(expected.length(), out.count());
    }

    @Test
    void writeDecimalThatDoesNotFitFlushesTheBufferFirstAndKeepsTheOrder() throws IOException {
        ByteArrayOutputStream socket = new ByteArrayOutputStream();
        Http1Output out = new Http1Output(socket, new OutputBuffers(1));
        byte[] filler = new byte[16 * 1024 - 3];   // three bytes left: a 19-digit number cannot fit
        java.util.Arrays.fill(filler, (byte) 'x');
        out.write(filler);
        out.writeDecimal(Long.MAX_VALUE);
        assertEquals(filler.length, socket.size());   // the filler went first, the digits wait in the buffer
        out.flush();
        assertEquals("x".repeat(filler.length) + Long.MAX_VALUE, socket.toString(StandardCharsets.US_ASCII));
    }
}
