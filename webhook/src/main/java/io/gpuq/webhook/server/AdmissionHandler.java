package io.gpuq.webhook.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpuq.webhook.admission.AdmissionEndpoint;
import io.gpuq.webhook.admission.AdmissionOutcome;
import io.gpuq.webhook.admission.AdmissionReviewer;
import io.gpuq.webhook.admission.BadReviewException;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import java.util.Locale;
import java.util.Optional;

/**
 * Serves one admission endpoint: reads the body within its limits, parses it, asks the reviewer and
 * writes the answer. By default everything runs on the event loop that owns the connection: the
 * reviewer is pure and a whole review (parse, rules, write) takes tens of microseconds, so a worker
 * thread would add two thread hand-offs per request and lose throughput (bench/webhook/README.md has
 * the measurement). {@link ServerOptions#reviewOnWorker()} moves parse, rules and write to the worker
 * pool for reviewers that may take longer. Stateless apart from per-request locals, so one instance
 * serves every loop.
 *
 * <p>Every outcome is either a 200 with an AdmissionReview (allowed, or denied with a reason) or a 4xx
 * with a Kubernetes Status body; nothing the client sends leads to a 5xx.
 */
final class AdmissionHandler {

    /** Encoded once rather than on every response. */
    private static final String JSON_TYPE = "application/json";
    private static final CharSequence APPLICATION_JSON = HttpHeaders.createOptimized(JSON_TYPE);

    private final AdmissionReviewer reviewer;
    private final ReviewJson json;
    private final AdmissionMetrics metrics;
    private final ReviewLog log;
    private final int maxBodyBytes;
    private final boolean requireClientCertificate;
    private final boolean reviewOnWorker;

    AdmissionHandler(AdmissionReviewer reviewer, ReviewJson json, AdmissionMetrics metrics, ReviewLog log,
                     int maxBodyBytes, boolean requireClientCertificate, boolean reviewOnWorker) {
        this.reviewOnWorker = reviewOnWorker;
        this.reviewer = reviewer;
        this.json = json;
        this.metrics = metrics;
        this.log = log;
        this.maxBodyBytes = maxBodyBytes;
        this.requireClientCertificate = requireClientCertificate;
    }

    /** Takes over a request to {@code endpoint}: reads its body, then answers it. */
    void handle(HttpServerRequest request, AdmissionEndpoint endpoint) {
        if (requireClientCertificate && !hasPeerCertificate(request)) {
            rejectBeforeBody(request, endpoint, 401, "Unauthorized",
                    "a client certificate signed by the webhook's client CA is required");
            return;
        }
        String contentType = request.getHeader(HttpHeaders.CONTENT_TYPE);
        if (contentType != null && !isJson(contentType)) {
            rejectBeforeBody(request, endpoint, 415, "UnsupportedMediaType",
                    "content type '" + contentType + "' is not accepted; send the AdmissionReview as application/json");
            return;
        }
        long declared = contentLength(request);
        if (declared > maxBodyBytes) {
            rejectBeforeBody(request, endpoint, 413, "RequestEntityTooLarge", tooLarge());
            return;
        }
        BodyReader reader = new BodyReader(request, endpoint, declared);
        request.handler(reader::chunk);
        request.endHandler(v -> reader.end());
        request.exceptionHandler(reader::failed);
        request.resume();
    }

    /** Collects one request body; a new one per request, used only on its event loop. */
    private final class BodyReader {
        private final HttpServerRequest request;
        private final AdmissionEndpoint endpoint;
        private final long declared;
        /** Null until the first chunk; a body that arrives in one chunk is that chunk, not a copy. */
        private Buffer body;
        private boolean copied;
        private long discarded;
        private boolean rejected;

        BodyReader(HttpServerRequest request, AdmissionEndpoint endpoint, long declared) {
            this.request = request;
            this.endpoint = endpoint;
            this.declared = declared;
        }

        void chunk(Buffer chunk) {
            if (rejected) {
                discard(request, chunk.length(), this);
                return;
            }
            int received = body == null ? 0 : body.length();
            if (received + chunk.length() > maxBodyBytes) {
                rejected = true;
                body = null;
                respondError(request, endpoint, 413, "RequestEntityTooLarge", tooLarge(), true);
                return;
            }
            if (body == null) {
                body = chunk;
                return;
            }
            if (!copied) {
                // The first chunk is Vert.x's buffer; append into one of our own.
                int expected = (int) Math.max(declared, received + chunk.length());
                body = Buffer.buffer(expected).appendBuffer(body);
                copied = true;
            }
            body.appendBuffer(chunk);
        }

        void end() {
            if (rejected) {
                closeAfterRejection(request);
                return;
            }
            review(request, endpoint, body == null ? Buffer.buffer() : body);
        }

        void failed(Throwable error) {
            // The client went away mid-body (reset, TLS error); there is nobody to answer.
            body = null;
            rejected = true;
        }
    }

    /**
     * Bytes that keep arriving after a rejection are read and dropped, up to one more body's worth, so
     * that the client finishes sending and reads the answer instead of seeing its upload reset.
     */
    private void discard(HttpServerRequest request, int bytes, BodyReader reader) {
        reader.discarded += bytes;
        if (reader.discarded > maxBodyBytes) {
            request.connection().close();
        }
    }

    private void rejectBeforeBody(HttpServerRequest request, AdmissionEndpoint endpoint, int status, String reason,
                                  String message) {
        BodyReader reader = new BodyReader(request, endpoint, 0);
        reader.rejected = true;
        reader.body = null;
        request.handler(chunk -> discard(request, chunk.length(), reader));
        request.endHandler(v -> closeAfterRejection(request));
        request.exceptionHandler(reader::failed);
        request.resume();
        respondError(request, endpoint, status, reason, message, status == 413);
    }

    /** After a 413 on HTTP/1.x the connection is not reused: its framing can no longer be trusted. */
    private static void closeAfterRejection(HttpServerRequest request) {
        if (request.version() != HttpVersion.HTTP_2 && "close".equals(request.response().headers().get(HttpHeaders.CONNECTION))) {
            request.connection().close();
        }
    }

    private void review(HttpServerRequest request, AdmissionEndpoint endpoint, Buffer body) {
        long started = System.nanoTime();
        if (!reviewOnWorker) {
            respond(request, endpoint, answer(endpoint, body), started);
            return;
        }
        Vertx.currentContext().owner().executeBlocking(() -> answer(endpoint, body), false)
                .onComplete(ar -> respond(request, endpoint, ar.succeeded() ? ar.result()
                        : Answer.error(400, "BadRequest", "the review could not be answered"), started));
    }

    /**
     * What to send for one body: a review document or an HTTP error. Touches nothing of the connection,
     * so it may run on a worker thread.
     */
    private Answer answer(AdmissionEndpoint endpoint, Buffer body) {
        JsonNode review;
        try {
            review = json.parseObject(body, reviewer.unread(endpoint));
        } catch (ReviewJson.BadJsonException e) {
            return Answer.error(400, "BadRequest", e.getMessage());
        }
        AdmissionOutcome outcome;
        try {
            outcome = reviewer.review(endpoint, review);
            if (outcome == null || outcome.responseReview() == null) {
                throw new IllegalStateException("the reviewer returned no response document");
            }
        } catch (BadReviewException e) {
            return Answer.error(400, "BadRequest", e.getMessage());
        } catch (RuntimeException | StackOverflowError e) {
            log.failed(endpoint, review, e);
            Optional<AdmissionOutcome> denial = Denials.internalError(endpoint, review);
            if (denial.isEmpty()) {
                return Answer.error(400, "BadRequest",
                        "the request could not be reviewed and has no request.uid to deny it by");
            }
            outcome = denial.get();
        }
        try {
            return new Answer(review, outcome, json.writeBuffer(outcome.responseReview()), 200, null, null);
        } catch (Exception e) {
            log.failed(endpoint, review, e);
            return Denials.internalError(endpoint, review).map(denial -> {
                try {
                    return new Answer(review, denial, json.writeBuffer(denial.responseReview()), 200, null, null);
                } catch (Exception impossible) {
                    return Answer.error(400, "BadRequest", "the review could not be answered");
                }
            }).orElseGet(() -> Answer.error(400, "BadRequest", "the review could not be answered"));
        }
    }

    /** A review document to send (status 200), or an HTTP error with its reason and message. */
    private record Answer(JsonNode review, AdmissionOutcome outcome, Buffer bytes, int status, String reason,
                          String message) {
        static Answer error(int status, String reason, String message) {
            return new Answer(null, null, null, status, reason, message);
        }
    }

    private void respond(HttpServerRequest request, AdmissionEndpoint endpoint, Answer answer, long started) {
        if (answer.outcome() == null) {
            respondError(request, endpoint, answer.status(), answer.reason(), answer.message(), false);
            return;
        }
        HttpServerResponse response = request.response();
        if (response.ended() || response.closed()) {
            return;
        }
        response.putHeader(HttpHeaders.CONTENT_TYPE, APPLICATION_JSON).end(answer.bytes());
        long nanos = System.nanoTime() - started;
        metrics.recordReview(endpoint, answer.outcome().operation(), answer.outcome().allowed(), nanos);
        log.reviewed(endpoint, answer.review(), answer.outcome(), nanos);
    }

    private void respondError(HttpServerRequest request, AdmissionEndpoint endpoint, int status, String reason,
                              String message, boolean closeConnection) {
        metrics.recordRejected(endpoint, status);
        log.rejected(endpoint, String.valueOf(request.remoteAddress()), status, message);
        HttpServerResponse response = request.response();
        if (response.ended() || response.closed() || response.headWritten()) {
            return;
        }
        response.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, APPLICATION_JSON);
        if (closeConnection && request.version() != HttpVersion.HTTP_2) {
            response.putHeader(HttpHeaders.CONNECTION, "close");
        }
        response.end(Buffer.buffer(json.status(status, reason, message)));
    }

    private String tooLarge() {
        return "the body is larger than " + maxBodyBytes + " bytes; an AdmissionReview is never that large";
    }

    private static boolean hasPeerCertificate(HttpServerRequest request) {
        SSLSession session = request.connection().sslSession();
        if (session == null) {
            return false;
        }
        try {
            return session.getPeerCertificates().length > 0;
        } catch (SSLPeerUnverifiedException e) {
            return false;
        }
    }

    /** application/json, or any +json type, with or without parameters such as charset. */
    static boolean isJson(String contentType) {
        if (contentType.equalsIgnoreCase(JSON_TYPE)) {
            // What the API server sends; decided without taking the header apart.
            return true;
        }
        int semi = contentType.indexOf(';');
        String type = (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
        return type.equals("application/json") || (type.startsWith("application/") && type.endsWith("+json"));
    }

    private static long contentLength(HttpServerRequest request) {
        String value = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (value == null) {
            return -1;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
