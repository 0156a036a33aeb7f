package io.gpuq.scheduler.engine.model;

/**
 * What one pod asks of GPUs. Fractions are kept in milli-GPU (1000 = one device) so sums on a device
 * are exact. {@code devices} is how many devices a fraction or memory request spans (each device gets
 * the same share).
 */
public record GpuDemand(Kind kind, int wholeGpus, int milliPerDevice, long memoryMiBPerDevice, int devices) {

    public static final int MILLI = 1000;

    public enum Kind { NONE, WHOLE, FRACTION, MEMORY }

    private static final GpuDemand NONE = new GpuDemand(Kind.NONE, 0, 0, 0, 0);

    public GpuDemand {
        switch (kind) {
            case NONE:
                break;
            case WHOLE:
                if (wholeGpus <= 0) {
                    throw new IllegalArgumentException("whole GPU request must be > 0, was " + wholeGpus);
                }
                break;
            case FRACTION:
                if (milliPerDevice <= 0 || milliPerDevice >= MILLI) {
                    throw new IllegalArgumentException(
                            "GPU fraction must be between 0 and 1 exclusive, was " + milliPerDevice / 1000.0);
                }
                if (devices < 1) {
                    throw new IllegalArgumentException("fraction devices must be >= 1, was " + devices);
                }
                break;
            case MEMORY:
                if (memoryMiBPerDevice <= 0) {
                    throw new IllegalArgumentException("GPU memory request must be > 0 MiB, was " + memoryMiBPerDevice);
                }
                if (devices < 1) {
                    throw new IllegalArgumentException("memory request devices must be >= 1, was " + devices);
                }
                break;
            default:
                throw new IllegalArgumentException("unknown kind " + kind);
        }
    }

    public static GpuDemand none() {
        return NONE;
    }

    public static GpuDemand whole(int gpus) {
        return gpus == 0 ? NONE : new GpuDemand(Kind.WHOLE, gpus, 0, 0, 0);
    }

    public static GpuDemand fraction(int milli, int devices) {
        return new GpuDemand(Kind.FRACTION, 0, milli, 0, devices);
    }

    public static GpuDemand memory(long mib, int devices) {
        return new GpuDemand(Kind.MEMORY, 0, 0, mib, devices);
    }

    public boolean isShared() {
        return kind == Kind.FRACTION || kind == Kind.MEMORY;
    }

    /**
     * Milli-GPU per device on a device with {@code deviceMemoryMiB}; for a memory request, the share of
     * that device (rounded up), or more than {@link #MILLI} when it cannot fit at all.
     */
    public int milliPerDeviceOn(long deviceMemoryMiB) {
        switch (kind) {
            case FRACTION:
                return milliPerDevice;
            case MEMORY:
                if (deviceMemoryMiB <= 0) {
                    return MILLI + 1;
                }
                long m = (memoryMiBPerDevice * MILLI + deviceMemoryMiB - 1) / deviceMemoryMiB;
                return (int) Math.min(m, MILLI + 1);
            case WHOLE:
                return MILLI;
            default:
                return 0;
        }
    }

    /** Total milli-GPUs this pod takes on a node whose devices have {@code deviceMemoryMiB}. */
    public long totalMilliOn(long deviceMemoryMiB) {
        switch (kind) {
            case WHOLE:
                return (long) wholeGpus * MILLI;
            case FRACTION:
            case MEMORY:
                return (long) milliPerDeviceOn(deviceMemoryMiB) * devices;
            default:
                return 0;
        }
    }
}
