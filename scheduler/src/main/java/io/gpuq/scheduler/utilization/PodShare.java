package io.gpuq.scheduler.utilization;

import java.util.Map;
import java.util.Objects;

/** One running pod's project and the milli-GPUs it holds on each device index of its node. */
public record PodShare(String project, Map<Integer, Integer> milliByDevice) {
    public PodShare {
        Objects.requireNonNull(project, "project");
        milliByDevice = Map.copyOf(milliByDevice);
    }

    /**
     * The GPUs this pod holds on {@code device} (a DCGM {@code gpu} label), or its average per device when
     * the label is absent or names a device the pod does not hold.
     */
    double gpusOn(String device) {
        if (device != null) {
            try {
                Integer milli = milliByDevice.get(Integer.parseInt(device.trim()));
                if (milli != null) {
                    return milli / 1000.0;
                }
            } catch (NumberFormatException e) {
                // Not an index (some exporters put the UUID there): fall back to the average share.
            }
        }
        if (milliByDevice.isEmpty()) {
            return 0;
        }
        long total = 0;
        for (int m : milliByDevice.values()) {
            total += m;
        }
        return total / 1000.0 / milliByDevice.size();
    }
}
