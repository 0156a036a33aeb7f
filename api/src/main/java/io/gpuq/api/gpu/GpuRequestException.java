package io.gpuq.api.gpu;

/**
 * A pod's GPU request is malformed or contradictory. The message is meant for the user who wrote the
 * pod: it names the offending value and says what is allowed, so the webhook can return it verbatim.
 */
public class GpuRequestException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public GpuRequestException(String message) {
        super(message);
    }
}
