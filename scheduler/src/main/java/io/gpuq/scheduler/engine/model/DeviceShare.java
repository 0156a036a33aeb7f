package io.gpuq.scheduler.engine.model;

/** A share of one device on a node, in milli-GPU (1000 = the whole device). */
public record DeviceShare(int index, int milli) {
    public DeviceShare {
        if (index < 0) {
            throw new IllegalArgumentException("device index must be >= 0, was " + index);
        }
        if (milli <= 0 || milli > GpuDemand.MILLI) {
            throw new IllegalArgumentException("device share must be in (0, 1000] milli, was " + milli);
        }
    }

    public boolean isWhole() {
        return milli == GpuDemand.MILLI;
    }

    public double fraction() {
        return milli / (double) GpuDemand.MILLI;
    }
}
