package io.gpuq.benchmarks;

import com.sun.management.GarbageCollectionNotificationInfo;

import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Heap figures around a measured section, without a sampling thread that would compete with the
 * cycle for the CPUs:
 * <ul>
 *   <li>peak used: the sum of every heap pool's peak during the section. Pools peak at different
 *   moments, so this is an upper bound of the heap ever in use, garbage included;</li>
 *   <li>peak live: the most heap still in use right after any collection during the section (from
 *   the collectors' notifications), i.e. what the cycle really needed to keep;</li>
 *   <li>collection time spent inside the section.</li>
 * </ul>
 */
final class HeapWatch {
    /** The figures of one watched section, in bytes and milliseconds. */
    record Reading(long peakUsedBytes, long peakLiveAfterGcBytes, int collections, long gcMillis) {
    }

    private final List<MemoryPoolMXBean> heapPools;
    private final List<GarbageCollectorMXBean> collectors = ManagementFactory.getGarbageCollectorMXBeans();
    private final AtomicLong peakLiveAfterGc = new AtomicLong();
    /** Collections seen, counted like {@link #collectionCount()} so the two can be compared. */
    private final AtomicLong notified = new AtomicLong();
    private long startCount;
    private long startMillis;

    HeapWatch() {
        heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP)
                .toList();
        Set<String> heapPoolNames = new HashSet<>();
        for (MemoryPoolMXBean p : heapPools) {
            heapPoolNames.add(p.getName());
        }
        notified.set(collectionCount());
        NotificationListener listener = (notification, handback) -> {
            if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                return;
            }
            GarbageCollectionNotificationInfo info =
                    GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
            // The collectors also report non-heap pools (metaspace, code cache); only heap counts here.
            long live = 0;
            for (Map.Entry<String, MemoryUsage> e : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
                if (heapPoolNames.contains(e.getKey())) {
                    live += e.getValue().getUsed();
                }
            }
            peakLiveAfterGc.accumulateAndGet(live, Math::max);
            notified.incrementAndGet();
        };
        for (GarbageCollectorMXBean gc : collectors) {
            if (gc instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(listener, null, null);
            }
        }
    }

    void start() {
        for (MemoryPoolMXBean p : heapPools) {
            p.resetPeakUsage();
        }
        startCount = collectionCount();
        startMillis = collectionMillis();
        waitForNotifications(startCount);
        peakLiveAfterGc.set(0);
    }

    Reading stop() {
        long peak = 0;
        for (MemoryPoolMXBean p : heapPools) {
            peak += p.getPeakUsage().getUsed();
        }
        long count = collectionCount();
        long millis = collectionMillis();
        waitForNotifications(count);
        return new Reading(peak, peakLiveAfterGc.get(), (int) (count - startCount), millis - startMillis);
    }

    /** Notifications arrive on another thread shortly after each collection; give them a moment. */
    private void waitForNotifications(long expected) {
        long deadline = System.nanoTime() + 500_000_000L;
        while (notified.get() < expected && System.nanoTime() < deadline) {
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private long collectionCount() {
        long n = 0;
        for (GarbageCollectorMXBean gc : collectors) {
            n += Math.max(0, gc.getCollectionCount());
        }
        return n;
    }

    private long collectionMillis() {
        long n = 0;
        for (GarbageCollectorMXBean gc : collectors) {
            n += Math.max(0, gc.getCollectionTime());
        }
        return n;
    }

    /** Heap in use once garbage is collected: what the live objects take now. */
    static long liveHeapBytes() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    static long maxHeapBytes() {
        return Runtime.getRuntime().maxMemory();
    }
}
