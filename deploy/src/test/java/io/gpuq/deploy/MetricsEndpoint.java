package io.gpuq.deploy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/** A loopback HTTP server with /&lt;job&gt;/metrics endpoints for Prometheus to scrape. */
final class MetricsEndpoint implements AutoCloseable {

    static final String TEXT_FORMAT = "text/plain; version=0.0.4; charset=utf-8";

    private final HttpServer server;
    private final long started = System.nanoTime();

    MetricsEndpoint() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a loopback port", e);
        }
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** Seconds since the endpoint started, at least 1, so that counters grow between scrapes. */
    double elapsedSeconds() {
        return Math.max(1.0, (System.nanoTime() - started) / 1e9);
    }

    void serve(String path, String contentType, Supplier<byte[]> body) {
        server.createContext(path, exchange -> respond(exchange, contentType, body));
    }

    private static void respond(HttpExchange exchange, String contentType, Supplier<byte[]> body) throws IOException {
        byte[] bytes = body.get();
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /**
     * The fixture in the text format with every counter-like sample (_total, _bucket, _count, _sum)
     * multiplied by the elapsed seconds: the fixture gives rates per second.
     */
    String scaled(String fixture) {
        double t = elapsedSeconds();
        StringBuilder out = new StringBuilder();
        for (String line : fixture.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                out.append(line).append('\n');
                continue;
            }
            int space = line.lastIndexOf(' ');
            String series = line.substring(0, space);
            double value = Double.parseDouble(line.substring(space + 1));
            String name = series.contains("{") ? series.substring(0, series.indexOf('{')) : series;
            boolean counting = name.endsWith("_total") || name.endsWith("_bucket") || name.endsWith("_count")
                    || name.endsWith("_sum");
            out.append(series).append(' ').append(counting ? value * t : value).append('\n');
        }
        return out.toString();
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
