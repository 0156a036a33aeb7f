package io.gpuq.api.gpu;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * A pod's GPU request in one canonical shape, whichever of the Run:ai forms the user wrote. The webhook
 * and the scheduler both work from this, so they can never disagree about what a pod asked for.
 * Amounts are kept in milli-GPUs (1000 = one device) so quota sums stay exact.
 *
 * @param kind          which form of request this is
 * @param wholeGpus     {@link Kind#WHOLE}: devices requested (Kubernetes effective request over the
 *                      containers); otherwise 0
 * @param fractionMilli {@link Kind#FRACTION}: share of each device in milli-GPUs, 1..999; otherwise 0
 * @param fraction      {@link Kind#FRACTION}: the same share as a normalised decimal ({@code "0.5"},
 *                      {@code "0.125"}), the spelling written to {@code runai/gpu-fraction}; otherwise null
 * @param memoryMib     {@link Kind#MEMORY}: MiB of each device; otherwise 0
 * @param numDevices    devices the request touches: the whole count for {@link Kind#WHOLE},
 *                      {@code gpu-fraction-num-devices} (default 1) for fractions and memory, 0 for none
 * @param containerName the container that receives the GPU: for fractions and memory the one named by
 *                      {@code gpu-fraction-container-name}, the one carrying the seed form, or the first;
 *                      for whole GPUs the first container requesting any; null for none
 * @param seedForm      the fraction was written as {@code nvidia.com/gpu: "0.5"} in a container's
 *                      limits/requests, which the mutating webhook must rewrite into {@code gpu-fraction}
 */
public record GpuRequest(Kind kind, int wholeGpus, int fractionMilli, String fraction, long memoryMib,
                         int numDevices, String containerName, boolean seedForm) {

    /** Milli-GPUs in one whole device. */
    public static final int MILLI_PER_GPU = 1000;

    /** Upper bound of {@code memoryMib} (2 PiB), far above any device, so share arithmetic cannot overflow. */
    public static final long MAX_MEMORY_MIB = Integer.MAX_VALUE;

    public enum Kind {
        /** No GPU at all. */
        NONE,
        /** One or more dedicated devices. */
        WHOLE,
        /** A share of each of {@code numDevices} devices, given as a fraction. */
        FRACTION,
        /** A share of each of {@code numDevices} devices, given as GPU memory. */
        MEMORY
    }

    private static final GpuRequest NONE = new GpuRequest(Kind.NONE, 0, 0, null, 0, 0, null, false);

    public GpuRequest {
        Objects.requireNonNull(kind, "kind");
        switch (kind) {
            case NONE -> require(wholeGpus == 0 && fractionMilli == 0 && fraction == null && memoryMib == 0
                    && numDevices == 0 && containerName == null && !seedForm, "a NONE request carries no values");
            case WHOLE -> require(wholeGpus >= 1 && fractionMilli == 0 && fraction == null && memoryMib == 0
                    && numDevices == wholeGpus && !seedForm, "a WHOLE request has wholeGpus >= 1 devices and nothing else");
            case FRACTION -> require(wholeGpus == 0 && fractionMilli >= 1 && fractionMilli < MILLI_PER_GPU
                    && normalise(fractionMilli).equals(fraction) && memoryMib == 0 && numDevices >= 1
                    && containerName != null, "a FRACTION request has 1..999 milli-GPUs, their normalised"
                    + " decimal, at least one device and a container");
            case MEMORY -> require(wholeGpus == 0 && fractionMilli == 0 && fraction == null && memoryMib >= 1
                    && memoryMib <= MAX_MEMORY_MIB
                    && numDevices >= 1 && containerName != null && !seedForm,
                    "a MEMORY request has memoryMib >= 1, at least one device and a container");
            default -> throw new IllegalStateException("unknown kind " + kind);
        }
    }

    public static GpuRequest none() {
        return NONE;
    }

    public static GpuRequest whole(int count, String containerName) {
        return new GpuRequest(Kind.WHOLE, count, 0, null, 0, count, containerName, false);
    }

    public static GpuRequest fraction(int milli, int numDevices, String containerName, boolean seedForm) {
        if (milli < 1 || milli >= MILLI_PER_GPU) {
            // The message is built only here: concatenating it on every call cost as much as the check.
            throw new IllegalArgumentException("a fraction is 1..999 milli-GPUs, got " + milli);
        }
        return new GpuRequest(Kind.FRACTION, 0, milli, normalise(milli), 0, numDevices, containerName, seedForm);
    }

    public static GpuRequest memory(long memoryMib, int numDevices, String containerName) {
        return new GpuRequest(Kind.MEMORY, 0, 0, null, memoryMib, numDevices, containerName, false);
    }

    /** The shortest decimal for a milli-GPU share: 500 is "0.5", 125 is "0.125", 1000 is "1". */
    public static String normalise(int milli) {
        if (milli <= 0 || milli >= MILLI_PER_GPU) {
            return BigDecimal.valueOf(milli, 3).stripTrailingZeros().toPlainString();
        }
        // A share of one GPU, the case of every fraction: "0." and its three digits, trailing zeros cut.
        char[] digits = {'0', '.', (char) ('0' + milli / 100), (char) ('0' + milli / 10 % 10), (char) ('0' + milli % 10)};
        int length = digits.length;
        while (digits[length - 1] == '0') {
            length--;
        }
        return new String(digits, 0, length);
    }

    /** True for requests that share devices with other pods (fractions and memory). */
    public boolean isShared() {
        return kind == Kind.FRACTION || kind == Kind.MEMORY;
    }

    /**
     * Total milli-GPUs requested, for quota accounting. A memory request has no fixed share until the
     * device is known, so it must use {@link #milliGpus(long)}.
     *
     * @throws IllegalStateException for {@link Kind#MEMORY}
     */
    public long milliGpus() {
        return switch (kind) {
            case NONE -> 0;
            case WHOLE -> (long) wholeGpus * MILLI_PER_GPU;
            case FRACTION -> (long) fractionMilli * numDevices;
            case MEMORY -> throw new IllegalStateException(
                    "a gpu-memory request is a share only relative to a device; use milliGpus(deviceMemoryMib)");
        };
    }

    /**
     * Total milli-GPUs requested on devices with {@code deviceMemoryMib} each. A memory request is
     * rounded up to whole milli-GPUs, so it never under-counts; a result above 1000 per device means
     * the request does not fit such a device.
     */
    public long milliGpus(long deviceMemoryMib) {
        if (kind != Kind.MEMORY) {
            return milliGpus();
        }
        require(deviceMemoryMib > 0, "device memory must be positive, got " + deviceMemoryMib);
        long perDevice = -Math.floorDiv(-memoryMib * MILLI_PER_GPU, deviceMemoryMib);
        return perDevice * numDevices;
    }

    /** {@link #milliGpus()} in GPUs, as quotas and metrics show them. */
    public double gpus() {
        return milliGpus() / (double) MILLI_PER_GPU;
    }

    /** {@link #milliGpus(long)} in GPUs. */
    public double gpus(long deviceMemoryMib) {
        return milliGpus(deviceMemoryMib) / (double) MILLI_PER_GPU;
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
