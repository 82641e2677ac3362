/**
 * The commands of {@code bin/gevent4j} ({@code demo}, {@code serve-http}, {@code serve-echo}): an
 * application of gevent4j's public API, kept apart from the library so that users' class paths do
 * not carry it.
 */
module gevent4j.cli {
    requires gevent4j;
}
