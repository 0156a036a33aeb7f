package io.gpuq.webhook.server;

import io.gpuq.webhook.testing.RawHttps;
import io.gpuq.webhook.testing.Reviews;
import io.gpuq.webhook.testing.ServerFixture;
import io.gpuq.webhook.testing.StubReviewer;
import io.vertx.core.Future;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Shutdown stops accepting, reports not ready, lets the review in progress finish, then closes. */
class GracefulShutdownTest {

    @Test
    void aReviewInProgressCompletesWhileNewConnectionsAreRefused() throws Exception {
        StubReviewer reviewer = new StubReviewer();
        try (ServerFixture f = new ServerFixture(reviewer)) {
            int port = f.server.port();
            HttpClient plain = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            assertThat(f.get(plain, f.metricsUri("/readyz")).statusCode()).isEqualTo(200);

            String body = Reviews.pod("in-flight", "p");
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            int half = bytes.length / 2;
            try (RawHttps c = new RawHttps(f.trustingContext(), port)) {
                c.write("POST /validate--v1-pod HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                        + "Content-Length: " + bytes.length + "\r\n\r\n" + new String(bytes, 0, half, StandardCharsets.UTF_8));
                Thread.sleep(300);

                Future<Void> stopping = f.server.shutdown();
                Thread.sleep(300);
                assertThat(stopping.isComplete()).as("waits for the request in progress").isFalse();
                assertThat(f.server.draining()).isTrue();
                assertThat(f.get(plain, f.metricsUri("/readyz")).statusCode()).isEqualTo(503);
                assertThatThrownBy(() -> new RawHttps(f.trustingContext(), port).close())
                        .as("no new connections").isInstanceOf(IOException.class);

                c.write(new String(bytes, half, bytes.length - half, StandardCharsets.UTF_8));
                RawHttps.Response response = c.read();
                assertThat(response.status()).isEqualTo(200);
                assertThat(response.body()).contains("\"uid\":\"in-flight\"").contains("\"allowed\":true");

                stopping.await(10, TimeUnit.SECONDS);
                assertThat(c.closedByServer()).isTrue();
            }
            assertThat(reviewer.reviews.get()).isEqualTo(1);
        }
    }

    @Test
    void shutdownWithNothingInFlightIsPromptAndIdempotent() throws Exception {
        try (ServerFixture f = new ServerFixture(new StubReviewer())) {
            long started = System.nanoTime();
            Future<Void> first = f.server.shutdown();
            first.await(10, TimeUnit.SECONDS);
            assertThat(f.server.shutdown()).isSameAs(first);
            assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(3000);
        }
    }
}
