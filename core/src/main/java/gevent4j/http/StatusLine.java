package gevent4j.http;

import java.nio.charset.StandardCharsets;

/** The status line of a response, {@code HTTP/1.1 200 OK CRLF}, as bytes prepared once per code. */
final class StatusLine {
    private static final byte[][] CACHE = new byte[1000][];

    private StatusLine() {}

    /** The status line for {@code code} (100 to 999); the array is shared, callers must not modify it. */
    static byte[] of(int code) {
        if (code < 100 || code > 999) {
            throw new IllegalArgumentException("response code must be between 100 and 999, was " + code);
        }
        byte[] line = CACHE[code];
        if (line == null) {
            String reason = reason(code);
            line = ("HTTP/1.1 " + code + (reason.isEmpty() ? " " : " " + reason) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            CACHE[code] = line;   // racy publication of an immutable-by-convention array: any copy is correct
        }
        return line;
    }

    /** The reason phrase of RFC 9110 for {@code code}, or "" for codes it does not name. */
    static String reason(int code) {
        return switch (code) {
            case 100 -> "Continue";
            case 101 -> "Switching Protocols";
            case 200 -> "OK";
            case 201 -> "Created";
            case 202 -> "Accepted";
            case 203 -> "Non-Authoritative Information";
            case 204 -> "No Content";
            case 205 -> "Reset Content";
            case 206 -> "Partial Content";
            case 300 -> "Multiple Choices";
            case 301 -> "Moved Permanently";
            case 302 -> "Found";
            case 303 -> "See Other";
            case 304 -> "Not Modified";
            case 307 -> "Temporary Redirect";
            case 308 -> "Permanent Redirect";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 406 -> "Not Acceptable";
            case 408 -> "Request Timeout";
            case 409 -> "Conflict";
            case 410 -> "Gone";
            case 411 -> "Length Required";
            case 412 -> "Precondition Failed";
            case 413 -> "Content Too Large";
            case 414 -> "URI Too Long";
            case 415 -> "Unsupported Media Type";
            case 416 -> "Range Not Satisfiable";
            case 417 -> "Expectation Failed";
            case 422 -> "Unprocessable Content";
            case 426 -> "Upgrade Required";
            case 429 -> "Too Many Requests";
            case 431 -> "Request Header Fields Too Large";
            case 500 -> "Internal Server Error";
            case 501 -> "Not Implemented";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            case 505 -> "HTTP Version Not Supported";
            default -> "";
        };
    }
}
