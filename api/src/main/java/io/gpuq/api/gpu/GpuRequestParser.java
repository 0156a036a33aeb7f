package io.gpuq.api.gpu;

import io.fabric8.kubernetes.api.model.Pod;
import io.gpuq.api.Annotations;
import io.gpuq.api.Names;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads a pod's GPU request from every form Run:ai accepts: whole {@code nvidia.com/gpu}, the
 * {@code gpu-fraction} and {@code gpu-memory} annotations (with {@code gpu-fraction-num-devices} and
 * {@code gpu-fraction-container-name}), and the seed form {@code nvidia.com/gpu: "0.5"} in a container.
 * The webhook and the scheduler both call it, so a pod the webhook admitted is understood the same way
 * when it is placed. Anything ambiguous is rejected with a {@link GpuRequestException} rather than
 * guessed at, because a guess would silently change what the user pays for.
 */
public final class GpuRequestParser {

    private static final String FRACTION_RULE = "a fraction must be greater than 0 and less than 1"
            + " (use " + Names.GPU_RESOURCE + ": \"1\" or more for whole GPUs)";
    private static final String MEMORY_RULE = "it must be a whole number of MiB greater than 0, such as \"20000\","
            + " or a binary quantity such as \"20Gi\"";
    private static final String NUM_DEVICES_RULE = "it must be a whole number of devices, 1 or more, such as \"2\"";
    private static final String FORMS = "gpu-fraction, gpu-memory, or " + Names.GPU_RESOURCE
            + " in one container's limits";
    private static final Pattern DEVICE_COUNT = Pattern.compile("[0-9]{1,6}");
    private static final BigDecimal MIB = BigDecimal.valueOf(1024L * 1024L);

    private GpuRequestParser() {
    }

    /** The request of a fabric8 pod; init containers with {@code restartPolicy: Always} count as sidecars. */
    public static GpuRequest parse(Pod pod) {
        return parse(PodContainers.annotations(pod), PodContainers.regular(pod), PodContainers.init(pod));
    }

    /** The request of a pod without init containers, from plain maps (e.g. raw admission JSON). */
    public static GpuRequest parse(Map<String, String> annotations, List<ContainerGpuResources> containers) {
        return parse(annotations, containers, List.of());
    }

    /**
     * The request of a pod from plain maps. Whole GPUs follow Kubernetes' effective-request rule: the
     * regular containers (plus sidecars) are summed, and an init container's request counts only if it is
     * larger, since init containers run one at a time before the others.
     *
     * @param annotations    pod annotations; null means none
     * @param containers     regular containers in pod order (the first receives an unplaced fraction)
     * @param initContainers init containers in pod order
     * @throws GpuRequestException when the request is malformed or contradictory
     */
    public static GpuRequest parse(Map<String, String> annotations, List<ContainerGpuResources> containers,
                                   List<ContainerGpuResources> initContainers) {
        Map<String, String> ann = annotations == null ? Map.of() : annotations;
        List<ContainerGpu> regular = read(containers, false);
        List<ContainerGpu> init = read(initContainers, true);

        String fractionText = ann.get(Annotations.GPU_FRACTION);
        String memoryText = ann.get(Annotations.GPU_MEMORY);
        String devicesText = ann.get(Annotations.GPU_FRACTION_NUM_DEVICES);
        String containerText = ann.get(Annotations.GPU_FRACTION_CONTAINER_NAME);
        Integer fractionMilli = fractionText == null ? null : parseFraction(Annotations.GPU_FRACTION, fractionText);
        Long memoryMib = memoryText == null ? null : parseMemory(memoryText);
        Integer devices = devicesText == null ? null : parseDevices(devicesText);

        List<ContainerGpu> seeds = withFraction(regular);
        if (seeds.size() > 1) {
            throw new GpuRequestException("a fractional " + Names.GPU_RESOURCE + " is allowed in one container only,"
                    + " found " + seeds.stream().map(ContainerGpu::describe).collect(Collectors.joining(" and "))
                    + "; give the fraction to one container, or use whole GPUs");
        }
        ContainerGpu seed = seeds.isEmpty() ? null : seeds.get(0);

        int formCount = (fractionText != null ? 1 : 0) + (memoryText != null ? 1 : 0) + (seed != null ? 1 : 0);
        if (formCount > 1) {
            throw new GpuRequestException(String.join(" and ", forms(fractionText, memoryText, seed))
                    + " are not allowed together: give exactly one GPU form (" + FORMS + ")");
        }

        long whole = effectiveWhole(regular, init);
        if (formCount > 0 && whole > 0) {
            ContainerGpu first = firstWhole(regular, init);
            throw new GpuRequestException(forms(fractionText, memoryText, seed).get(0) + " and whole GPUs (" + first.describe() + ") are not allowed"
                    + " together: a pod gets either whole GPUs or a share of GPUs; to share several GPUs use "
                    + Annotations.GPU_FRACTION_NUM_DEVICES);
        }
        if (formCount == 0) {
            rejectWithoutShare(Annotations.GPU_FRACTION_NUM_DEVICES, devicesText, "it spreads a fraction over several"
                    + " GPUs; for whole GPUs use " + Names.GPU_RESOURCE + ": \"" + devicesText + "\"");
            rejectWithoutShare(Annotations.GPU_FRACTION_CONTAINER_NAME, containerText, "it chooses the container"
                    + " of a fractional GPU; whole GPUs go to the containers that request them");
            if (whole == 0) {
                return GpuRequest.none();
            }
            return GpuRequest.whole((int) whole, firstWhole(regular, init).name());
        }

        String container = chooseContainer(containerText, seed, regular, fractionText, memoryText);
        int numDevices = devices == null ? 1 : devices;
        if (memoryMib != null) {
            return GpuRequest.memory(memoryMib, numDevices, container);
        }
        if (fractionMilli != null) {
            return GpuRequest.fraction(fractionMilli, numDevices, container, false);
        }
        return GpuRequest.fraction(seed.fractionMilli(), numDevices, container, true);
    }

    /**
     * A fraction as milli-GPUs, for {@code gpu-fraction} and for values derived from it such as
     * {@code runai/gpu-fraction}, so that "0.5", "0.50" and "500m" compare equal.
     *
     * @param key  the annotation the text came from, named in the error
     * @param text the value; quantity syntax, greater than 0, less than 1, at most 3 decimals
     * @throws GpuRequestException when the text is not such a fraction
     */
    public static int parseFraction(String key, String text) {
        Optional<QuantityParser.Parsed> parsed = QuantityParser.parse(text);
        if (parsed.isEmpty()) {
            throw new GpuRequestException(notAllowed(key, text) + "it is not a number; " + FRACTION_RULE);
        }
        BigDecimal value = parsed.get().value();
        if (value.signum() <= 0 || value.compareTo(BigDecimal.ONE) >= 0) {
            throw new GpuRequestException(notAllowed(key, text) + FRACTION_RULE);
        }
        return Fractions.toMilli(value, () -> notAllowed(key, text));
    }

    /** The start of an error about an annotation; built only on the way to an error. */
    private static String notAllowed(String key, String text) {
        return key + " " + Quoting.quote(text) + " is not allowed: ";
    }

    private static long parseMemory(String text) {
        Optional<QuantityParser.Parsed> parsed = QuantityParser.parse(text);
        if (parsed.isEmpty()) {
            throw new GpuRequestException(notAllowed(Annotations.GPU_MEMORY, text) + MEMORY_RULE);
        }
        QuantityParser.Parsed q = parsed.get();
        if (q.suffix() == QuantityParser.Suffix.DECIMAL) {
            throw new GpuRequestException(notAllowed(Annotations.GPU_MEMORY, text) + "decimal units are ambiguous for GPU memory; give MiB as a plain"
                    + " number (\"20000\") or use a binary suffix (\"20Gi\")");
        }
        BigDecimal mib = q.suffix() == QuantityParser.Suffix.BINARY ? q.value().divide(MIB) : q.value();
        if (mib.signum() <= 0) {
            throw new GpuRequestException(notAllowed(Annotations.GPU_MEMORY, text) + "GPU memory must be greater than 0 (MiB of one GPU)");
        }
        if (mib.stripTrailingZeros().scale() > 0) {
            throw new GpuRequestException(notAllowed(Annotations.GPU_MEMORY, text) + "it is not a whole number of MiB; " + MEMORY_RULE);
        }
        if (mib.compareTo(BigDecimal.valueOf(GpuRequest.MAX_MEMORY_MIB)) > 0) {
            throw new GpuRequestException(notAllowed(Annotations.GPU_MEMORY, text) + "it is more memory than any GPU has");
        }
        return mib.longValueExact();
    }

    private static int parseDevices(String text) {
        String s = text.strip();
        if (!DEVICE_COUNT.matcher(s).matches() || Integer.parseInt(s) < 1) {
            throw new GpuRequestException(Annotations.GPU_FRACTION_NUM_DEVICES + " " + Quoting.quote(text)
                    + " is not allowed: " + NUM_DEVICES_RULE);
        }
        return Integer.parseInt(s);
    }

    private static void rejectWithoutShare(String key, String text, String why) {
        if (text != null) {
            throw new GpuRequestException(key + " " + Quoting.quote(text) + " is not allowed without "
                    + Annotations.GPU_FRACTION + " or " + Annotations.GPU_MEMORY + ": " + why);
        }
    }

    /**
     * The GPU forms the pod uses, described for an error. Built only on the way to one: quoting the
     * values of every valid request was a good part of the parse.
     */
    private static List<String> forms(String fractionText, String memoryText, ContainerGpu seed) {
        List<String> forms = new ArrayList<>(3);
        if (fractionText != null) {
            forms.add(Annotations.GPU_FRACTION + " " + Quoting.quote(fractionText));
        }
        if (memoryText != null) {
            forms.add(Annotations.GPU_MEMORY + " " + Quoting.quote(memoryText));
        }
        if (seed != null) {
            forms.add(seed.describe());
        }
        return forms;
    }

    /** The container that gets the share; the form texts only describe it in an error. */
    private static String chooseContainer(String containerText, ContainerGpu seed, List<ContainerGpu> regular,
                                          String fractionText, String memoryText) {
        if (containerText != null) {
            String wanted = containerText.strip();
            boolean exists = false;
            for (ContainerGpu c : regular) {
                exists |= wanted.equals(c.name());
            }
            if (!exists) {
                throw new GpuRequestException(Annotations.GPU_FRACTION_CONTAINER_NAME + " " + Quoting.quote(containerText)
                        + " is not allowed: the pod has no regular container of that name; containers: "
                        + regular.stream().map(c -> Quoting.quote(c.name())).collect(Collectors.joining(", ")));
            }
            if (seed != null && !wanted.equals(seed.name())) {
                throw new GpuRequestException(Annotations.GPU_FRACTION_CONTAINER_NAME + " " + Quoting.quote(containerText)
                        + " is not allowed: the fractional " + Names.GPU_RESOURCE + " is in " + seed.label()
                        + "; name that container, or move the fraction");
            }
            return wanted;
        }
        if (seed != null) {
            return seed.name();
        }
        if (regular.isEmpty()) {
            throw new GpuRequestException(forms(fractionText, memoryText, seed).get(0)
                    + " is not allowed: the pod has no container to receive the GPU");
        }
        return regular.get(0).name();
    }

    private static List<ContainerGpu> withFraction(List<ContainerGpu> containers) {
        List<ContainerGpu> out = List.of();
        for (ContainerGpu c : containers) {
            if (c.hasFraction()) {
                if (out.isEmpty()) {
                    out = new ArrayList<>(2);
                }
                out.add(c);
            }
        }
        return out;
    }

    private static List<ContainerGpu> read(List<ContainerGpuResources> containers, boolean init) {
        if (containers == null) {
            return List.of();
        }
        List<ContainerGpu> out = new ArrayList<>(containers.size());
        for (ContainerGpuResources c : containers) {
            if (c != null) {
                out.add(ContainerGpu.read(c, init));
            }
        }
        return out;
    }

    /**
     * Kubernetes' effective request: sidecars run from their start to the end, plain init containers
     * one at a time, regular containers together after the init phase.
     */
    private static long effectiveWhole(List<ContainerGpu> regular, List<ContainerGpu> init) {
        long sidecars = 0;
        long initPeak = 0;
        for (ContainerGpu c : init) {
            if (c.sidecar()) {
                sidecars += c.whole();
                initPeak = Math.max(initPeak, sidecars);
            } else {
                initPeak = Math.max(initPeak, sidecars + c.whole());
            }
        }
        long running = sidecars;
        for (ContainerGpu c : regular) {
            running += c.whole();
        }
        long total = Math.max(initPeak, running);
        if (total > ContainerGpu.MAX_WHOLE_GPUS) {
            throw new GpuRequestException("the pod's containers request " + total + " GPUs in all, more than "
                    + ContainerGpu.MAX_WHOLE_GPUS);
        }
        return total;
    }

    private static ContainerGpu firstWhole(List<ContainerGpu> regular, List<ContainerGpu> init) {
        for (ContainerGpu c : regular) {
            if (c.whole() > 0) {
                return c;
            }
        }
        for (ContainerGpu c : init) {
            if (c.whole() > 0) {
                return c;
            }
        }
        throw new IllegalStateException("no container requests whole GPUs");
    }
}
