package io.gpuq.deploy;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Debian's prometheus binary on a loopback port with a given configuration, and its HTTP API. */
final class PrometheusServer implements AutoCloseable {

    private final Process process;
    private final Path log;
    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    PrometheusServer(Path binary, Path dir, String config) {
        try {
            Path configFile = dir.resolve("prometheus.yml");
            Files.writeString(configFile, config);
            log = dir.resolve("prometheus.log");
            int port;
            try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                port = probe.getLocalPort();
            }
            base = URI.create("http://127.0.0.1:" + port);
            process = new ProcessBuilder(List.of(binary.toString(), "--config.file=" + configFile,
                    "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
                    "--log.level=warn"))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + binary, e);
        }
        await("Prometheus answers /-/ready", Duration.ofSeconds(30), () -> get("/-/ready").status() == 200);
    }

    /** GET on the API; the parsed JSON body. */
    JsonNode api(String pathAndQuery) {
        Reply reply = get(pathAndQuery);
        try {
            return Yaml.JSON.readTree(reply.body());
        } catch (IOException e) {
            throw new AssertionError("Prometheus answered " + reply.status() + " to " + pathAndQuery + ": "
                    + reply.body(), e);
        }
    }

    /** An instant query at the current time. */
    JsonNode query(String promql) {
        return api("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    }

    /** The rule groups once every rule has been evaluated at least once. */
    JsonNode awaitQueryRules() {
        JsonNode[] groups = new JsonNode[1];
        await("every rule has been evaluated", Duration.ofSeconds(60), () -> {
            groups[0] = api("/api/v1/rules").path("data").path("groups");
            boolean all = groups[0].size() > 0;
            for (JsonNode g : groups[0]) {
                for (JsonNode r : g.path("rules")) {
                    all &= !r.path("lastEvaluation").asText("0001").startsWith("0001");
                }
            }
            return all;
        });
        return groups[0];
    }

    JsonNode awaitQuery(String what, String promql, Predicate<JsonNode> done) {
        JsonNode[] last = new JsonNode[1];
        await(what + " (" + promql + ")", Duration.ofSeconds(60), () -> done.test(last[0] = query(promql)));
        return last[0];
    }

    private Reply get(String pathAndQuery) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve(pathAndQuery))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.body());
        } catch (IOException e) {
            return new Reply(599, String.valueOf(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void await(String what, Duration timeout, java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("prometheus exited with " + process.exitValue() + " while waiting until "
                        + what + ":\n" + logTail());
            }
            if (condition.getAsBoolean()) {
                return;
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting until " + what + "\n" + logTail());
    }

    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** An HTTP answer, or status 599 with the error when the connection failed (polling goes on). */
    private record Reply(int status, String body) {
    }
}
