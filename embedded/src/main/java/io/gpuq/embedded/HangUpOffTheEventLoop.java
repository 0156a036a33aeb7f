package io.gpuq.embedded;

import io.fabric8.mockwebserver.http.ByteString;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;

import java.util.concurrent.Executor;

/**
 * A watch's web-socket listener whose hang-up handling runs on {@code closer} instead of the
 * server's event loop.
 * <p>
 * The mock server's watch listener, on hang-up, waits for its event sender to finish, and the sender
 * waits for its last write to be flushed by that same event loop. When a watcher closes while events
 * stream to it (an informer stopping, a scheduler handing over its lease), the loop waits on itself
 * for the sender's 30-second write timeout, and every connection on that loop stalls with it. Off
 * the loop, the write completes and the hang-up finishes at once.
 */
final class HangUpOffTheEventLoop extends WebSocketListener {
    private final WebSocketListener delegate;
    private final Executor closer;

    HangUpOffTheEventLoop(WebSocketListener delegate, Executor closer) {
        this.delegate = delegate;
        this.closer = closer;
    }

    @Override
    public void onBeforeAccept(WebSocket webSocket, Response response) {
        delegate.onBeforeAccept(webSocket, response);
    }

    @Override
    public void onOpen(WebSocket webSocket, Response response) {
        delegate.onOpen(webSocket, response);
    }

    @Override
    public void onMessage(WebSocket webSocket, String text) {
        delegate.onMessage(webSocket, text);
    }

    @Override
    public void onMessage(WebSocket webSocket, ByteString bytes) {
        delegate.onMessage(webSocket, bytes);
    }

    @Override
    public void onMessage(WebSocket webSocket, byte[] bytes) {
        delegate.onMessage(webSocket, bytes);
    }

    @Override
    public void onClosing(WebSocket webSocket, int code, String reason) {
        delegate.onClosing(webSocket, code, reason);
    }

    @Override
    public void onClosed(WebSocket webSocket, int code, String reason) {
        closer.execute(() -> delegate.onClosed(webSocket, code, reason));
    }

    @Override
    public void onFailure(WebSocket webSocket, Throwable failure, Response response) {
        closer.execute(() -> delegate.onFailure(webSocket, failure, response));
    }
}
