package io.gpuq.webhook.server;

import io.gpuq.webhook.testing.RawHttps;
import io.gpuq.webhook.testing.Reviews;
import io.gpuq.webhook.testing.ServerFixture;
import io.gpuq.webhook.testing.StubReviewer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Clients that hold the server without finishing requests are cut off by its timeouts, many
 * concurrent connections are all served, and none of it leaks connections or stops correct answers.
 */
class SlowAndManyClientsTest {

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(3);
    private static ServerFixture fixture;

    @BeforeAll
    static void start() {
        fixture = new ServerFixture(new StubReviewer(), () -> true,
                b -> b.requestTimeout(REQUEST_TIMEOUT).idleTimeout(IDLE_TIMEOUT).handshakeTimeout(HANDSHAKE_TIMEOUT));
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    @AfterEach
    void stillServesCorrectAnswersAndLeaksNothing() throws Exception {
        try (RawHttps c = new RawHttps(fixture.trustingContext(), fixture.server.port())) {
            c.write(RawHttps.post("/mutate--v1-pod", Reviews.pod("after", "p")));
            RawHttps.Response r = c.read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).contains("\"uid\":\"after\"").contains("\"allowed\":true");
        }
        awaitOpenConnections(0, Duration.ofSeconds(5));
    }

    private static void awaitOpenConnections(int expected, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (fixture.metrics.openConnections() != expected && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(fixture.metrics.openConnections()).isEqualTo(expected);
    }

    @Test
    void aBodySentAByteASecondGets408AndTheConnectionIsClosed() throws Exception {
        try (RawHttps c = new RawHttps(fixture.trustingContext(), fixture.server.port())) {
            c.write("POST /mutate--v1-pod HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 100\r\n\r\n");
            long started = System.nanoTime();
            AtomicBoolean stop = new AtomicBoolean();
            Thread trickle = new Thread(() -> {
                try {
                    for (int i = 0; i < 100 && !stop.get(); i++) {
                        c.write("{");
                        Thread.sleep(1000);
                    }
                } catch (IOException | InterruptedException expectedWhenClosed) {
                    // The server closed the connection: that is what the test waits for.
                }
            });
            trickle.start();
            RawHttps.Response response = c.read();
            assertThat(response.status()).isEqualTo(408);
            assertThat(response.body()).contains("request timeout");
            assertThat(c.closedByServer()).isTrue();
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            stop.set(true);
            trickle.join(5000);
            assertThat(took).isBetween(REQUEST_TIMEOUT.minusMillis(100), REQUEST_TIMEOUT.plusSeconds(2));
        }
    }

    @Test
    void aRequestLineTrickledAByteASecondIsClosedAtTheIdleTimeout() throws Exception {
        try (RawHttps c = new RawHttps(fixture.trustingContext(), fixture.server.port())) {
            long started = System.nanoTime();
            AtomicBoolean stop = new AtomicBoolean();
            Thread trickle = new Thread(() -> {
                String line = "POST /mutate--v1-pod HTTP/1.1\r\nHost: localhost\r\nX-Slow: ";
                try {
                    for (int i = 0; !stop.get(); i++) {
                        c.write(String.valueOf(line.charAt(Math.min(i, line.length() - 1))));
                        Thread.sleep(1000);
                    }
                } catch (IOException | InterruptedException expectedWhenClosed) {
                    // Closed by the server.
                }
            });
            trickle.start();
            assertThat(c.closedByServer()).isTrue();
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            stop.set(true);
            trickle.join(5000);
            assertThat(took).isBetween(IDLE_TIMEOUT.minusMillis(100), IDLE_TIMEOUT.plusSeconds(2));
        }
    }

    @Test
    void aKeepAliveConnectionIsReusedThenClosedWhenIdle() throws Exception {
        try (RawHttps c = new RawHttps(fixture.trustingContext(), fixture.server.port())) {
            for (int i = 0; i < 3; i++) {
                c.write(RawHttps.post("/mutate--v1-pod", Reviews.pod("ka-" + i, "p")));
                RawHttps.Response r = c.read();
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.body()).contains("ka-" + i);
            }
            long started = System.nanoTime();
            assertThat(c.closedByServer()).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(IDLE_TIMEOUT.plusSeconds(2));
        }
    }

    @Test
    void aTcpClientThatNeverStartsTlsIsClosed() throws Exception {
        try (Socket s = RawHttps.tcp(fixture.server.port())) {
            long started = System.nanoTime();
            assertThat(s.getInputStream().read()).isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(HANDSHAKE_TIMEOUT.plusSeconds(2));
        }
    }

    @Test
    void twoHundredConcurrentConnectionsAreAllAnsweredAndNoneLeaks() throws Exception {
        // Its own server: with the 3 s idle timeout above, early clients would be cut off while the last
        // ones are still handshaking, and "all open at once" could not be observed.
        try (ServerFixture many = new ServerFixture(new StubReviewer())) {
            int n = 200;
            javax.net.ssl.SSLContext tls = many.trustingContext();
            ExecutorService pool = Executors.newFixedThreadPool(n);
            CountDownLatch done = new CountDownLatch(n);
            CountDownLatch release = new CountDownLatch(1);
            try {
                List<Future<String>> results = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    String uid = "c-" + i;
                    String path = i % 2 == 0 ? "/mutate--v1-pod" : "/validate--v1-pod";
                    results.add(pool.submit(() -> {
                        boolean counted = false;
                        try (RawHttps c = new RawHttps(tls, many.server.port())) {
                            c.write(RawHttps.post(path, Reviews.pod(uid, "p")));
                            RawHttps.Response r = c.read();
                            done.countDown();
                            counted = true;
                            // Hold the connection until every client has its answer, so all are open at once.
                            release.await(60, TimeUnit.SECONDS);
                            return r.status() + (r.body().contains("\"uid\":\"" + uid + "\"") ? " own uid" : " " + r.body());
                        } finally {
                            if (!counted) {
                                done.countDown();
                            }
                        }
                    }));
                }
                assertThat(done.await(60, TimeUnit.SECONDS)).as("every client finished its request").isTrue();
                int openWhileHeld = many.metrics.openConnections();
                release.countDown();
                for (Future<String> f : results) {
                    assertThat(f.get(60, TimeUnit.SECONDS)).isEqualTo("200 own uid");
                }
                assertThat(openWhileHeld).isEqualTo(n);
            } finally {
                release.countDown();
                pool.shutdownNow();
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (many.metrics.openConnections() != 0 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(many.metrics.openConnections()).as("no connection leaked").isZero();
        }
    }
}
