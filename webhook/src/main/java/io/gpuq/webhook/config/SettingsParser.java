package io.gpuq.webhook.config;

import io.gpuq.api.WorkloadType;
import io.gpuq.webhook.WebhookSettings;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Turns the data of the settings ConfigMap into {@link WebhookSettings}. Absent keys keep their
 * defaults; a present key with a bad value is an error that names the key, the value and what is
 * allowed. The whole document is rejected when any key is bad, so a half-applied edit never routes pods
 * under a mix of old and new rules.
 *
 * <p>Values arrive as the Vert.x ConfigMap store delivers them: it turns strings that look like
 * booleans, numbers or JSON into those types, so every key accepts both the typed and the string form.
 */
public final class SettingsParser {

    public static final String ENFORCE_SCHEDULER = "enforceScheduler";
    public static final String SCHEDULER_NAME = "schedulerName";
    public static final String OPT_IN_LABEL = "optInLabel";
    public static final String DEFAULT_WORKLOAD_TYPE = "defaultWorkloadType";
    public static final String MPS_POOLS = "mpsPools";
    public static final String SCHEDULER_USERS = "schedulerUsers";

    /** The keys this parser reads, in the order they are documented. */
    public static final List<String> KEYS = List.of(ENFORCE_SCHEDULER, SCHEDULER_NAME, OPT_IN_LABEL,
            DEFAULT_WORKLOAD_TYPE, MPS_POOLS, SCHEDULER_USERS);

    private static final Pattern DNS_SUBDOMAIN =
            Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern LABEL_NAME = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?");
    private static final Pattern USER_NAME = Pattern.compile("[^\\s,]+");

    /** The outcome of parsing one ConfigMap: the settings when {@link #errors()} is empty. */
    public record Result(Optional<WebhookSettings> settings, List<String> errors, Set<String> ignoredKeys) {
        public Result {
            errors = List.copyOf(errors);
            ignoredKeys = Set.copyOf(ignoredKeys);
        }

        public boolean valid() {
            return errors.isEmpty();
        }
    }

    private SettingsParser() {
    }

    /**
     * @param data            the ConfigMap's data as the store delivered it (may be empty, never null)
     * @param systemNamespace the namespace of Projects and Departments; a process setting, not reloadable
     */
    public static Result parse(JsonObject data, String systemNamespace) {
        WebhookSettings d = WebhookSettings.defaults();
        List<String> errors = new ArrayList<>();
        Set<String> ignored = new TreeSet<>();
        for (String key : data.fieldNames()) {
            if (!KEYS.contains(key)) {
                ignored.add(key);
            }
        }

        boolean enforce = d.enforceScheduler();
        if (data.containsKey(ENFORCE_SCHEDULER)) {
            Object v = data.getValue(ENFORCE_SCHEDULER);
            String s = text(v).toLowerCase(Locale.ROOT);
            if (v instanceof Boolean b) {
                enforce = b;
            } else if (s.equals("true") || s.equals("false")) {
                enforce = Boolean.parseBoolean(s);
            } else {
                errors.add(error(ENFORCE_SCHEDULER, v, "true or false"));
            }
        }

        String schedulerName = d.schedulerName();
        if (data.containsKey(SCHEDULER_NAME)) {
            Object v = data.getValue(SCHEDULER_NAME);
            String s = text(v);
            if (isDnsSubdomain(s)) {
                schedulerName = s;
            } else {
                errors.add(error(SCHEDULER_NAME, v,
                        "a DNS subdomain name (lowercase letters, digits, '-' and '.', at most 253 characters), "
                                + "e.g. runai-scheduler"));
            }
        }

        String optInKey = d.optInLabelKey();
        String optInValue = d.optInLabelValue();
        if (data.containsKey(OPT_IN_LABEL)) {
            Object v = data.getValue(OPT_IN_LABEL);
            String s = text(v);
            int eq = s.indexOf('=');
            String k = eq < 0 ? "" : s.substring(0, eq).trim();
            String val = eq < 0 ? "" : s.substring(eq + 1).trim();
            if (eq > 0 && isLabelKey(k) && isLabelValue(val)) {
                optInKey = k;
                optInValue = val;
            } else {
                errors.add(error(OPT_IN_LABEL, v,
                        "key=value with a valid label key and value, e.g. runai-job=true"));
            }
        }

        WorkloadType workloadType = d.defaultWorkloadType();
        if (data.containsKey(DEFAULT_WORKLOAD_TYPE)) {
            Object v = data.getValue(DEFAULT_WORKLOAD_TYPE);
            Optional<WorkloadType> t = WorkloadType.fromLabel(text(v));
            if (t.isPresent()) {
                workloadType = t.get();
            } else {
                errors.add(error(DEFAULT_WORKLOAD_TYPE, v, "one of " + WorkloadType.allowedLabels()));
            }
        }

        Set<String> mpsPools = d.mpsPools();
        if (data.containsKey(MPS_POOLS)) {
            Object v = data.getValue(MPS_POOLS);
            Set<String> pools = list(v);
            if (pools.stream().allMatch(SettingsParser::isPoolName)) {
                mpsPools = pools;
            } else {
                errors.add(error(MPS_POOLS, v,
                        "a comma-separated list of node pool names (label values: letters, digits, '-', '_', '.'), "
                                + "or empty for none"));
            }
        }

        Set<String> schedulerUsers = d.schedulerUsers();
        if (data.containsKey(SCHEDULER_USERS)) {
            Object v = data.getValue(SCHEDULER_USERS);
            Set<String> users = list(v);
            if (!users.isEmpty() && users.stream().allMatch(u -> USER_NAME.matcher(u).matches())) {
                schedulerUsers = users;
            } else {
                errors.add(error(SCHEDULER_USERS, v,
                        "a non-empty comma-separated list of user names, e.g. "
                                + "system:serviceaccount:runai:gpuq-scheduler (without one the scheduler could "
                                + "not write runai/gpu-devices)"));
            }
        }

        if (!errors.isEmpty()) {
            return new Result(Optional.empty(), errors, ignored);
        }
        return new Result(Optional.of(new WebhookSettings(optInKey, optInValue, schedulerName, enforce, workloadType,
                mpsPools, systemNamespace, schedulerUsers)), errors, ignored);
    }

    private static String error(String key, Object value, String allowed) {
        return "key '" + key + "' has value '" + text(value) + "'; allowed: " + allowed;
    }

    private static String text(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof JsonArray a) {
            return a.encode();
        }
        return v.toString().trim();
    }

    /** A comma list, or a JSON array when the store recognised the value as one. */
    private static Set<String> list(Object v) {
        Set<String> out = new LinkedHashSet<>();
        if (v instanceof JsonArray array) {
            for (Object item : array) {
                String s = text(item);
                out.add(s);
            }
            return out;
        }
        String s = text(v);
        if (s.isEmpty()) {
            return out;
        }
        for (String part : s.split(",", -1)) {
            out.add(part.trim());
        }
        return out;
    }

    static boolean isDnsSubdomain(String s) {
        return !s.isEmpty() && s.length() <= 253 && DNS_SUBDOMAIN.matcher(s).matches();
    }

    /** A label key: an optional DNS-subdomain prefix and '/', then a name of at most 63 characters. */
    static boolean isLabelKey(String s) {
        int slash = s.lastIndexOf('/');
        String name = slash < 0 ? s : s.substring(slash + 1);
        if (slash >= 0 && !isDnsSubdomain(s.substring(0, slash))) {
            return false;
        }
        return !name.isEmpty() && name.length() <= 63 && LABEL_NAME.matcher(name).matches();
    }

    /** A label value: empty, or at most 63 characters of the label-name alphabet. */
    static boolean isLabelValue(String s) {
        return s.isEmpty() || (s.length() <= 63 && LABEL_NAME.matcher(s).matches());
    }

    private static boolean isPoolName(String s) {
        return !s.isEmpty() && isLabelValue(s);
    }

    /** The settings as one line for logs, in the documented key order. */
    public static String summary(WebhookSettings s) {
        return ENFORCE_SCHEDULER + "=" + s.enforceScheduler()
                + " " + SCHEDULER_NAME + "=" + s.schedulerName()
                + " " + OPT_IN_LABEL + "=" + s.optInLabelKey() + "=" + s.optInLabelValue()
                + " " + DEFAULT_WORKLOAD_TYPE + "=" + s.defaultWorkloadType().label()
                + " " + MPS_POOLS + "=[" + String.join(",", new TreeSet<>(s.mpsPools())) + "]"
                + " " + SCHEDULER_USERS + "=[" + String.join(",", new TreeSet<>(s.schedulerUsers())) + "]";
    }
}
