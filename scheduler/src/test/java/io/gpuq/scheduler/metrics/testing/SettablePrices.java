package io.gpuq.scheduler.metrics.testing;

import io.gpuq.scheduler.cost.PriceTable;
import io.gpuq.scheduler.cost.PriceTableSource;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** A price table source changed by the test, telling listeners as a reloaded ConfigMap would. */
public final class SettablePrices implements PriceTableSource {
    private final List<Consumer<PriceTable>> listeners = new CopyOnWriteArrayList<>();
    private volatile PriceTable current;

    public SettablePrices(PriceTable initial) {
        this.current = initial;
    }

    @Override
    public PriceTable current() {
        return current;
    }

    @Override
    public void subscribe(Consumer<PriceTable> listener) {
        listeners.add(listener);
    }

    public void set(PriceTable table) {
        current = table;
        listeners.forEach(l -> l.accept(table));
    }
}
