package io.gpuq.scheduler.cost;

import java.util.Objects;
import java.util.function.Consumer;

/** Where the prices in force come from; a source may change them at any time (a hot-reloaded ConfigMap). */
public interface PriceTableSource {

    /** The table in force now. */
    PriceTable current();

    /**
     * Calls {@code listener} with every table that takes effect after this call, right when it does, on
     * the thread that loaded it. Listeners must be quick and must not throw.
     */
    void subscribe(Consumer<PriceTable> listener);

    /** A table that never changes (the simulator's scenario prices, tests, a cluster without a ConfigMap). */
    static PriceTableSource fixed(PriceTable table) {
        Objects.requireNonNull(table, "table");
        return new PriceTableSource() {
            @Override
            public PriceTable current() {
                return table;
            }

            @Override
            public void subscribe(Consumer<PriceTable> listener) {
                // A fixed table never changes, so there is nothing to tell a listener.
            }
        };
    }
}
