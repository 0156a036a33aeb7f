package io.gpuq.scheduler.cost;

import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The price table from the {@code prices.yaml} key of a ConfigMap (default {@code gpuq-prices} in the
 * system namespace), read through the Vert.x ConfigMap store and re-read every scan period.
 *
 * <ul>
 *   <li>Listeners are called on a Vert.x worker thread, one change at a time.</li>
 *   <li>No ConfigMap (or one with no data): {@link PriceTable#defaults()}.</li>
 *   <li>A valid table: in force from the moment it is read; listeners hear of it at once.</li>
 *   <li>A bad table, or a ConfigMap without the key: every problem is logged and the table in force
 *       stays; the next change is read as usual.</li>
 * </ul>
 */
public final class ConfigMapPriceTable implements PriceTableSource {

    public static final String DEFAULT_NAME = "gpuq-prices";
    public static final String DATA_KEY = "prices.yaml";

    private static final Logger LOG = Logger.getLogger(ConfigMapPriceTable.class.getName());

    private final Vertx vertx;
    private final ConfigMapLocation location;
    private final Duration scanPeriod;
    private final List<Consumer<PriceTable>> listeners = new CopyOnWriteArrayList<>();
    private volatile PriceTable current = PriceTable.defaults();
    private ConfigRetriever retriever;

    public ConfigMapPriceTable(Vertx vertx, ConfigMapLocation location, Duration scanPeriod) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.location = Objects.requireNonNull(location, "location");
        this.scanPeriod = Objects.requireNonNull(scanPeriod, "scanPeriod");
    }

    /**
     * Reads the ConfigMap once and starts watching it. Completes with the table in force: the
     * ConfigMap's when it could be read and is valid, otherwise the defaults (the reason is logged and
     * later scans keep trying). Never fails.
     */
    public Future<PriceTable> start() {
        JsonObject store = new JsonObject()
                .put("namespace", location.namespace())
                .put("name", location.name())
                .put("optional", true)
                .put("host", location.host())
                .put("port", location.port())
                .put("ssl", location.ssl());
        if (location.token() != null) {
            store.put("token", location.token());
        }
        retriever = ConfigRetriever.create(vertx, new ConfigRetrieverOptions()
                .setIncludeDefaultStores(false)
                .setScanPeriod(scanPeriod.toMillis())
                .addStore(new ConfigStoreOptions().setType("configmap").setConfig(store)));
        // Parsing and repricing run on a worker, in order, so the event loop never waits on them.
        retriever.listen(change -> vertx.executeBlocking(() -> apply(change.getNewConfiguration()), true));
        return retriever.getConfig()
                .compose(data -> vertx.executeBlocking(() -> apply(data), true))
                .map(accepted -> {
                    LOG.info("price table from ConfigMap " + location.ref() + " (re-read every " + scanPeriod.toSeconds()
                            + " s): pricing with " + current.summary());
                    return current;
                })
                .recover(err -> {
                    LOG.warning("cannot read ConfigMap " + location.ref() + " (" + err.getMessage()
                            + "); pricing with " + current.summary() + " and retrying every "
                            + scanPeriod.toSeconds() + " s");
                    return Future.succeededFuture(current);
                });
    }

    @Override
    public PriceTable current() {
        return current;
    }

    @Override
    public void subscribe(Consumer<PriceTable> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Reads one version of the ConfigMap's data (as the store delivers it: key → value) and, when it holds
     * a valid table, puts that table in force.
     *
     * @return true when the data was accepted
     */
    public boolean apply(JsonObject data) {
        if (data == null || data.isEmpty()) {
            return use(PriceTable.defaults(), "ConfigMap " + location.ref() + " is absent or empty");
        }
        Object value = data.getValue(DATA_KEY);
        String source = "ConfigMap " + location.ref() + " key " + DATA_KEY;
        if (value == null) {
            LOG.warning("ConfigMap " + location.ref() + " has no key " + DATA_KEY + " (keys: " + data.fieldNames()
                    + "); keeping " + current.summary());
            return false;
        }
        // The store turns values that read as JSON into objects; JSON is YAML, so they are read back as text.
        String document = value instanceof JsonObject o ? o.encode()
                : value instanceof JsonArray a ? a.encode()
                : value.toString();
        PriceTable table;
        try {
            table = PriceTableParser.parse(document, source);
        } catch (PriceTableException e) {
            for (String error : e.errors()) {
                LOG.warning(source + ": " + error);
            }
            LOG.warning(source + " rejected (" + e.errors().size() + " problem(s)); keeping " + current.summary());
            return false;
        }
        return use(table, source);
    }

    private boolean use(PriceTable table, String why) {
        PriceTable previous = current;
        if (table.equals(previous)) {
            if (LOG.isLoggable(Level.FINE)) {
                LOG.fine(why + ": prices unchanged");
            }
            return true;
        }
        current = table;
        LOG.info(why + ": from now on pricing with " + table.summary());
        for (Consumer<PriceTable> l : listeners) {
            try {
                l.accept(table);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "a price table listener failed; the new prices are in force regardless", e);
            }
        }
        return true;
    }

    /** Stops the scans; the table in force stays readable. */
    public Future<Void> close() {
        return retriever == null ? Future.succeededFuture() : retriever.close();
    }
}
