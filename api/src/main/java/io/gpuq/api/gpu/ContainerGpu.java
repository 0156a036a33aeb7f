package io.gpuq.api.gpu;

import io.gpuq.api.Names;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What one container's {@code nvidia.com/gpu} amounts to after its limit and request have been checked
 * against each other: nothing, whole devices, or the seed form of a fraction.
 *
 * @param raw the text the user wrote, echoed in later error messages
 */
record ContainerGpu(String name, boolean init, boolean sidecar, long whole, int fractionMilli, String raw) {

    /** Far above any cluster; bounds sums so they cannot overflow. */
    static final long MAX_WHOLE_GPUS = 1_000_000;

    boolean hasFraction() {
        return fractionMilli > 0;
    }

    String label() {
        return labelFor(name, init);
    }

    private static String labelFor(String name, boolean init) {
        return (init ? "init container " : "container ") + Quoting.quote(name);
    }

    String describe() {
        return Names.GPU_RESOURCE + " " + Quoting.quote(raw) + " in " + label();
    }

    /*
     * The container's label and the prefix of its errors are built only on the way to an error: most
     * containers ask for no GPU at all, and quoting names for nothing was a good part of the parse.
     */
    static ContainerGpu read(ContainerGpuResources c, boolean init) {
        String limitText = c.limits().get(Names.GPU_RESOURCE);
        String requestText = c.requests().get(Names.GPU_RESOURCE);
        BigDecimal limit = limitText == null ? null : quantity(c.name(), init, "limit", limitText);
        BigDecimal request = requestText == null ? null : quantity(c.name(), init, "request", requestText);
        if (limit != null && request != null && limit.compareTo(request) != 0) {
            throw new GpuRequestException(labelFor(c.name(), init) + ": " + Names.GPU_RESOURCE + " limit " + Quoting.quote(limitText)
                    + " and request " + Quoting.quote(requestText) + " disagree: GPUs cannot be overcommitted,"
                    + " so give the same value in both or only a limit");
        }
        BigDecimal value = limit != null ? limit : request;
        String raw = limit != null ? limitText : requestText;
        boolean sidecar = init && c.sidecar();
        if (value == null || value.signum() == 0) {
            return new ContainerGpu(c.name(), init, sidecar, 0, 0, raw);
        }
        Supplier<String> prefix = () -> labelFor(c.name(), init) + ": " + Names.GPU_RESOURCE + " " + Quoting.quote(raw)
                + " is not allowed: ";
        if (value.signum() < 0) {
            throw new GpuRequestException(prefix.get() + "a GPU request cannot be negative");
        }
        if (value.compareTo(BigDecimal.ONE) < 0) {
            if (init) {
                throw new GpuRequestException(prefix.get() + "a fraction goes to one regular container, not to an"
                        + " init container");
            }
            return new ContainerGpu(c.name(), false, false, 0, Fractions.toMilli(value, prefix), raw);
        }
        if (value.stripTrailingZeros().scale() > 0) {
            throw new GpuRequestException(prefix.get() + "a GPU count above 1 must be a whole number (such as \"2\");"
                    + " a fraction must be less than 1 (such as \"0.5\"), and "
                    + "gpu-fraction-num-devices spreads one fraction over several GPUs");
        }
        if (value.compareTo(BigDecimal.valueOf(MAX_WHOLE_GPUS)) > 0) {
            throw new GpuRequestException(prefix.get() + "it is more than " + MAX_WHOLE_GPUS + " GPUs");
        }
        return new ContainerGpu(c.name(), init, sidecar, value.longValueExact(), 0, raw);
    }

    private static BigDecimal quantity(String name, boolean init, String which, String text) {
        Optional<QuantityParser.Parsed> parsed = QuantityParser.parse(text);
        if (parsed.isEmpty()) {
            throw new GpuRequestException(labelFor(name, init) + ": " + Names.GPU_RESOURCE + " " + which + " " + Quoting.quote(text)
                    + " is not allowed: it is not a quantity; use a whole number of GPUs such as \"1\","
                    + " or a fraction such as \"0.5\"");
        }
        return parsed.get().value();
    }
}
