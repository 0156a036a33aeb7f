package io.gpuq.scheduler.cluster;

/** Work that runs only while this instance leads (the RunaiJob controller, the metrics' leader gauge). */
public interface LeaderTask {
    void startLeading();

    void stopLeading();
}
