package io.gpuq.api.gpu;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.gpuq.api.gpu.GpuRequest.Kind;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GpuRequestParserTest {

    private static final String GPU = "nvidia.com/gpu";

    static ContainerGpuResources limit(String name, String value) {
        return new ContainerGpuResources(name, Map.of(GPU, value), Map.of());
    }

    static ContainerGpuResources request(String name, String value) {
        return new ContainerGpuResources(name, Map.of(), Map.of(GPU, value));
    }

    static ContainerGpuResources both(String name, String limit, String request) {
        return new ContainerGpuResources(name, Map.of(GPU, limit), Map.of(GPU, request));
    }

    static ContainerGpuResources plain(String name) {
        return new ContainerGpuResources(name, null, null);
    }

    static Map<String, String> ann(String... keyValues) {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put(keyValues[i], keyValues[i + 1]);
        }
        return map;
    }

    static GpuRequest parse(Map<String, String> annotations, ContainerGpuResources... containers) {
        return GpuRequestParser.parse(annotations, List.of(containers));
    }

    static String rejection(Map<String, String> annotations, List<ContainerGpuResources> containers,
                            List<ContainerGpuResources> init) {
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(
                () -> GpuRequestParser.parse(annotations, containers, init));
        assertThat(thrown).isExactlyInstanceOf(GpuRequestException.class);
        return thrown.getMessage();
    }

    static String rejection(Map<String, String> annotations, ContainerGpuResources... containers) {
        return rejection(annotations, List.of(containers), List.of());
    }

    @Nested
    class Accepted {

        @Test
        void podWithoutGpusRequestsNone() {
            GpuRequest r = parse(ann(), plain("main"), limit("side", "0"));

            assertThat(r).isEqualTo(GpuRequest.none());
            assertThat(r.kind()).isEqualTo(Kind.NONE);
            assertThat(r.numDevices()).isZero();
            assertThat(r.containerName()).isNull();
            assertThat(r.milliGpus()).isZero();
        }

        @Test
        void nullInputsMeanAnEmptyPod() {
            assertThat(GpuRequestParser.parse(null, null, null)).isEqualTo(GpuRequest.none());
            assertThat(GpuRequestParser.parse((Pod) null)).isEqualTo(GpuRequest.none());
        }

        @Test
        void wholeGpusFromLimitsOrRequests() {
            assertThat(parse(ann(), limit("main", "1"))).isEqualTo(GpuRequest.whole(1, "main"));
            assertThat(parse(ann(), request("main", "8"))).isEqualTo(GpuRequest.whole(8, "main"));
            assertThat(parse(ann(), both("main", "2", "2")).wholeGpus()).isEqualTo(2);
        }

        @Test
        void limitAndRequestMayBeSpelledDifferently() {
            assertThat(parse(ann(), both("main", "1", "1000m")).wholeGpus()).isEqualTo(1);
            assertThat(parse(ann(), both("main", "0.5", "500m")).fractionMilli()).isEqualTo(500);
        }

        @Test
        void wholeGpusAreSummedOverContainers() {
            GpuRequest r = parse(ann(), plain("log"), limit("a", "2"), limit("b", "1"));

            assertThat(r.wholeGpus()).isEqualTo(3);
            assertThat(r.numDevices()).isEqualTo(3);
            assertThat(r.containerName()).isEqualTo("a");
            assertThat(r.gpus()).isEqualTo(3.0);
        }

        @Test
        void initContainersCountOnlyWhenLargerThanTheRegularSum() {
            assertThat(GpuRequestParser.parse(ann(), List.of(limit("a", "1"), limit("b", "1")),
                    List.of(limit("warmup", "4"))).wholeGpus()).isEqualTo(4);
            assertThat(GpuRequestParser.parse(ann(), List.of(limit("a", "2")),
                    List.of(limit("warmup", "1"))).wholeGpus()).isEqualTo(2);
        }

        @Test
        void onlyAnInitContainerRequestingIsStillAWholeRequest() {
            GpuRequest r = GpuRequestParser.parse(ann(), List.of(plain("main")), List.of(limit("warmup", "2")));

            assertThat(r).isEqualTo(GpuRequest.whole(2, "warmup"));
        }

        @Test
        void sidecarsAddToEverythingStartedAfterThem() {
            ContainerGpuResources sidecar = new ContainerGpuResources("proxy", Map.of(GPU, "1"), Map.of(), true);

            assertThat(GpuRequestParser.parse(ann(), List.of(limit("main", "2")), List.of(sidecar)).wholeGpus())
                    .isEqualTo(3);
            assertThat(GpuRequestParser.parse(ann(), List.of(plain("main")), List.of(sidecar, limit("load", "2")))
                    .wholeGpus()).isEqualTo(3);
            assertThat(GpuRequestParser.parse(ann(), List.of(plain("main")), List.of(limit("load", "2"), sidecar))
                    .wholeGpus()).isEqualTo(2);
        }

        @ParameterizedTest
        @ValueSource(strings = {"0.5", "500m", ".5", "0.50", "+0.5", " 0.5 ", "5e-1"})
        void seedFormFractionInAnySpelling(String value) {
            GpuRequest r = parse(ann(), limit("inference", value));

            assertThat(r.kind()).isEqualTo(Kind.FRACTION);
            assertThat(r.fractionMilli()).isEqualTo(500);
            assertThat(r.fraction()).isEqualTo("0.5");
            assertThat(r.seedForm()).isTrue();
            assertThat(r.containerName()).isEqualTo("inference");
            assertThat(r.numDevices()).isEqualTo(1);
        }

        @Test
        void seedFormFractionStaysWithTheContainerCarryingIt() {
            GpuRequest r = parse(ann(), plain("setup-helper"), limit("model", ".25"));

            assertThat(r.containerName()).isEqualTo("model");
            assertThat(r.fraction()).isEqualTo("0.25");
        }

        @Test
        void seedFormWithDevicesAndMatchingContainerName() {
            GpuRequest r = parse(ann("gpu-fraction-num-devices", "2", "gpu-fraction-container-name", "model"),
                    plain("web"), request("model", "0.125"));

            assertThat(r).isEqualTo(GpuRequest.fraction(125, 2, "model", true));
            assertThat(r.milliGpus()).isEqualTo(250);
        }

        @Test
        void gpuFractionAnnotationGoesToTheFirstContainer() {
            GpuRequest r = parse(ann("gpu-fraction", "0.5"), plain("app"), plain("sidecar"));

            assertThat(r).isEqualTo(GpuRequest.fraction(500, 1, "app", false));
        }

        @Test
        void gpuFractionAnnotationWithContainerNameAndDevices() {
            GpuRequest r = parse(ann("gpu-fraction", "0.3", "gpu-fraction-container-name", "sidecar",
                    "gpu-fraction-num-devices", "4"), plain("app"), plain("sidecar"));

            assertThat(r.containerName()).isEqualTo("sidecar");
            assertThat(r.numDevices()).isEqualTo(4);
            assertThat(r.fraction()).isEqualTo("0.3");
            assertThat(r.milliGpus()).isEqualTo(1200);
        }

        @Test
        void gpuFractionAnnotationWithAZeroWholeRequestIsFine() {
            assertThat(parse(ann("gpu-fraction", "0.75"), limit("app", "0")).fractionMilli()).isEqualTo(750);
        }

        @Test
        void gpuMemoryInMibOrBinaryUnits() {
            assertThat(parse(ann("gpu-memory", "20000"), plain("app"))).isEqualTo(GpuRequest.memory(20000, 1, "app"));
            assertThat(parse(ann("gpu-memory", "20Gi"), plain("app")).memoryMib()).isEqualTo(20480);
            assertThat(parse(ann("gpu-memory", "1.5Gi"), plain("app")).memoryMib()).isEqualTo(1536);
            assertThat(parse(ann("gpu-memory", "4096Mi", "gpu-fraction-num-devices", "2"), plain("app")))
                    .isEqualTo(GpuRequest.memory(4096, 2, "app"));
        }

        @Test
        void fabric8PodReadsLikeThePlainForm() {
            Pod pod = new PodBuilder()
                    .withNewMetadata().withName("p").addToAnnotations("gpu-fraction-num-devices", "2").endMetadata()
                    .withNewSpec()
                    .addToInitContainers(new ContainerBuilder().withName("proxy").withRestartPolicy("Always")
                            .withNewResources().addToLimits(GPU, new Quantity("1")).endResources().build())
                    .addToContainers(new ContainerBuilder().withName("web").build())
                    .addToContainers(new ContainerBuilder().withName("model").withNewResources()
                            .addToLimits(GPU, new Quantity("0.5")).addToRequests(GPU, new Quantity("500m"))
                            .addToLimits("cpu", new Quantity("2")).endResources().build())
                    .endSpec().build();

            assertThatThrownBy(() -> GpuRequestParser.parse(pod))
                    .isExactlyInstanceOf(GpuRequestException.class)
                    .hasMessageContaining("not allowed together");

            pod.getSpec().setInitContainers(List.of());
            assertThat(GpuRequestParser.parse(pod)).isEqualTo(GpuRequest.fraction(500, 2, "model", true));
        }

        @Test
        void fabric8PodSidecarIsRecognised() {
            Pod pod = new PodBuilder().withNewSpec()
                    .addToInitContainers(new ContainerBuilder().withName("proxy").withRestartPolicy("Always")
                            .withNewResources().addToLimits(GPU, new Quantity("1")).endResources().build())
                    .addToContainers(new ContainerBuilder().withName("main").withNewResources()
                            .addToLimits(GPU, new Quantity("2")).endResources().build())
                    .endSpec().build();

            assertThat(GpuRequestParser.parse(pod)).isEqualTo(GpuRequest.whole(3, "main"));
        }

        @Test
        void derivedFractionAnnotationsCompareByValue() {
            assertThat(GpuRequestParser.parseFraction("runai/gpu-fraction", "0.50")).isEqualTo(500);
            assertThat(GpuRequestParser.parseFraction("runai/gpu-fraction", "250m")).isEqualTo(250);
        }
    }

    @Nested
    class Rejected {

        @Test
        void fractionOfOneAndAHalfExplainsTheRule() {
            assertThat(rejection(ann("gpu-fraction", "1.5"), plain("app"))).isEqualTo(
                    "gpu-fraction \"1.5\" is not allowed: a fraction must be greater than 0 and less than 1"
                            + " (use nvidia.com/gpu: \"1\" or more for whole GPUs)");
        }

        @ParameterizedTest
        @ValueSource(strings = {"0", "0.0", "-0.5", "1", "1.0", "1000m", "2"})
        void fractionOutsideTheOpenUnitInterval(String value) {
            assertThat(rejection(ann("gpu-fraction", value), plain("app")))
                    .startsWith("gpu-fraction \"" + value + "\" is not allowed")
                    .contains("greater than 0 and less than 1");
        }

        @ParameterizedTest
        @ValueSource(strings = {"abc", "", "  ", "half", "0,5", "1/2", "0.5.1", "50%", "NaN", "Infinity", "0x1"})
        void nonNumericFraction(String value) {
            assertThat(rejection(ann("gpu-fraction", value), plain("app")))
                    .contains("gpu-fraction")
                    .contains("is not a number")
                    .contains("greater than 0 and less than 1");
        }

        @Test
        void fractionFinerThanMilliGpus() {
            assertThat(rejection(ann("gpu-fraction", "0.3333"), plain("app")))
                    .contains("\"0.3333\"").contains("at most 3 decimal places");
            assertThat(rejection(ann(), limit("app", "0.0005")))
                    .startsWith("container \"app\": nvidia.com/gpu \"0.0005\"").contains("at most 3 decimal places");
        }

        @Test
        void fractionTogetherWithWholeGpus() {
            assertThat(rejection(ann("gpu-fraction", "0.5"), limit("app", "1")))
                    .isEqualTo("gpu-fraction \"0.5\" and whole GPUs (nvidia.com/gpu \"1\" in container \"app\") are not"
                            + " allowed together: a pod gets either whole GPUs or a share of GPUs; to share several"
                            + " GPUs use gpu-fraction-num-devices");
            assertThat(rejection(ann(), limit("app", "0.5"), limit("other", "2")))
                    .contains("nvidia.com/gpu \"0.5\" in container \"app\"")
                    .contains("whole GPUs (nvidia.com/gpu \"2\" in container \"other\")");
        }

        @Test
        void fractionTogetherWithWholeGpusInAnInitContainer() {
            assertThat(rejection(ann("gpu-fraction", "0.5"), List.of(plain("app")), List.of(limit("warmup", "1"))))
                    .contains("whole GPUs (nvidia.com/gpu \"1\" in init container \"warmup\")");
        }

        @Test
        void memoryTogetherWithWholeGpus() {
            assertThat(rejection(ann("gpu-memory", "20000"), limit("app", "1")))
                    .startsWith("gpu-memory \"20000\" and whole GPUs").contains("not allowed together");
        }

        @Test
        void fractionAndMemoryAtOnce() {
            assertThat(rejection(ann("gpu-fraction", "0.5", "gpu-memory", "20000"), plain("app")))
                    .isEqualTo("gpu-fraction \"0.5\" and gpu-memory \"20000\" are not allowed together: give exactly"
                            + " one GPU form (gpu-fraction, gpu-memory, or nvidia.com/gpu in one container's limits)");
        }

        @Test
        void annotationAndSeedFormAtOnce() {
            assertThat(rejection(ann("gpu-fraction", "0.5"), limit("app", "0.5")))
                    .startsWith("gpu-fraction \"0.5\" and nvidia.com/gpu \"0.5\" in container \"app\" are not allowed"
                            + " together");
            assertThat(rejection(ann("gpu-memory", "100"), limit("app", "0.25")))
                    .contains("gpu-memory \"100\" and nvidia.com/gpu \"0.25\" in container \"app\"");
        }

        @Test
        void seedFormInTwoContainers() {
            assertThat(rejection(ann(), limit("a", "0.5"), limit("b", "0.25")))
                    .isEqualTo("a fractional nvidia.com/gpu is allowed in one container only, found nvidia.com/gpu"
                            + " \"0.5\" in container \"a\" and nvidia.com/gpu \"0.25\" in container \"b\"; give the"
                            + " fraction to one container, or use whole GPUs");
        }

        @Test
        void seedFormInAnInitContainer() {
            assertThat(rejection(ann(), List.of(plain("app")), List.of(limit("warmup", "0.5"))))
                    .isEqualTo("init container \"warmup\": nvidia.com/gpu \"0.5\" is not allowed: a fraction goes to"
                            + " one regular container, not to an init container");
        }

        @ParameterizedTest
        @ValueSource(strings = {"1.5", "2.25", "1001m", "3.5e0"})
        void seedFormAboveOneMustBeWhole(String value) {
            assertThat(rejection(ann(), limit("app", value)))
                    .startsWith("container \"app\": nvidia.com/gpu \"" + value + "\" is not allowed")
                    .contains("must be a whole number")
                    .contains("less than 1");
        }

        @ParameterizedTest
        @ValueSource(strings = {"abc", "one", "1 GPU", "", "0.5.0", "1e", "--1", "1ki"})
        void garbageInLimits(String value) {
            assertThat(rejection(ann(), limit("app", value)))
                    .startsWith("container \"app\": nvidia.com/gpu limit \"" + value + "\" is not allowed: it is not a"
                            + " quantity");
            assertThat(rejection(ann(), request("app", value)))
                    .startsWith("container \"app\": nvidia.com/gpu request \"" + value + "\"");
        }

        @Test
        void negativeCount() {
            assertThat(rejection(ann(), limit("app", "-1")))
                    .isEqualTo("container \"app\": nvidia.com/gpu \"-1\" is not allowed: a GPU request cannot be"
                            + " negative");
        }

        @Test
        void limitsAndRequestsThatDisagree() {
            assertThat(rejection(ann(), both("app", "1", "2")))
                    .isEqualTo("container \"app\": nvidia.com/gpu limit \"1\" and request \"2\" disagree: GPUs cannot"
                            + " be overcommitted, so give the same value in both or only a limit");
            assertThat(rejection(ann(), both("app", "0.5", "0.25"))).contains("disagree");
        }

        @Test
        void absurdCounts() {
            assertThat(rejection(ann(), limit("app", "1e30"))).contains("more than 1000000 GPUs");
            assertThat(rejection(ann(), limit("a", "1000000"), limit("b", "1")))
                    .isEqualTo("the pod's containers request 1000001 GPUs in all, more than 1000000");
        }

        @ParameterizedTest
        @ValueSource(strings = {"0", "-100", "0Mi"})
        void memoryNotAboveZero(String value) {
            assertThat(rejection(ann("gpu-memory", value), plain("app")))
                    .isEqualTo("gpu-memory \"" + value + "\" is not allowed: GPU memory must be greater than 0 (MiB of"
                            + " one GPU)");
        }

        @ParameterizedTest
        @ValueSource(strings = {"lots", "", "20 GiB", "0x100"})
        void memoryNotANumber(String value) {
            assertThat(rejection(ann("gpu-memory", value), plain("app")))
                    .isEqualTo("gpu-memory \"" + value + "\" is not allowed: it must be a whole number of MiB greater"
                            + " than 0, such as \"20000\", or a binary quantity such as \"20Gi\"");
        }

        @ParameterizedTest
        @ValueSource(strings = {"20G", "20000M", "2e4", "500m"})
        void memoryInDecimalUnitsIsAmbiguous(String value) {
            assertThat(rejection(ann("gpu-memory", value), plain("app")))
                    .contains("decimal units are ambiguous").contains("\"20Gi\"");
        }

        @ParameterizedTest
        @ValueSource(strings = {"100.5", "1Ki"})
        void memoryNotWholeMib(String value) {
            assertThat(rejection(ann("gpu-memory", value), plain("app"))).contains("not a whole number of MiB");
        }

        @Test
        void memoryBeyondAnyDevice() {
            assertThat(rejection(ann("gpu-memory", "4Ei"), plain("app"))).contains("more memory than any GPU has");
        }

        @ParameterizedTest
        @ValueSource(strings = {"0", "-1", "two", "1.5", "", "1234567"})
        void badDeviceCount(String value) {
            assertThat(rejection(ann("gpu-fraction", "0.5", "gpu-fraction-num-devices", value), plain("app")))
                    .isEqualTo("gpu-fraction-num-devices \"" + value + "\" is not allowed: it must be a whole number of"
                            + " devices, 1 or more, such as \"2\"");
        }

        @Test
        void deviceCountWithoutAFraction() {
            assertThat(rejection(ann("gpu-fraction-num-devices", "2"), plain("app")))
                    .isEqualTo("gpu-fraction-num-devices \"2\" is not allowed without gpu-fraction or gpu-memory: it"
                            + " spreads a fraction over several GPUs; for whole GPUs use nvidia.com/gpu: \"2\"");
            assertThat(rejection(ann("gpu-fraction-num-devices", "2"), limit("app", "2")))
                    .startsWith("gpu-fraction-num-devices \"2\" is not allowed without gpu-fraction or gpu-memory");
        }

        @Test
        void containerNameWithoutAFraction() {
            assertThat(rejection(ann("gpu-fraction-container-name", "app"), plain("app")))
                    .startsWith("gpu-fraction-container-name \"app\" is not allowed without gpu-fraction or gpu-memory");
        }

        @Test
        void containerNameThatIsNotAContainer() {
            assertThat(rejection(ann("gpu-fraction", "0.5", "gpu-fraction-container-name", "modle"),
                    plain("web"), plain("model")))
                    .isEqualTo("gpu-fraction-container-name \"modle\" is not allowed: the pod has no regular container"
                            + " of that name; containers: \"web\", \"model\"");
            assertThat(rejection(ann("gpu-fraction", "0.5", "gpu-fraction-container-name", "warmup"),
                    List.of(plain("web")), List.of(plain("warmup"))))
                    .contains("has no regular container of that name");
        }

        @Test
        void containerNameThatContradictsTheSeedForm() {
            assertThat(rejection(ann("gpu-fraction-container-name", "web"), plain("web"), limit("model", "0.5")))
                    .isEqualTo("gpu-fraction-container-name \"web\" is not allowed: the fractional nvidia.com/gpu is in"
                            + " container \"model\"; name that container, or move the fraction");
        }

        @Test
        void fractionWithNoContainerToCarryIt() {
            assertThat(rejection(ann("gpu-fraction", "0.5")))
                    .isEqualTo("gpu-fraction \"0.5\" is not allowed: the pod has no container to receive the GPU");
        }

        @Test
        void echoedGarbageIsEscapedAndShortened() {
            String message = rejection(ann("gpu-fraction", "\"quoted\"\n" + "x".repeat(100)), plain("app"));

            assertThat(message).startsWith("gpu-fraction \"\\\"quoted\\\"\\u000axxxx").contains("...\" is not allowed")
                    .doesNotContain("\n").doesNotContain("x".repeat(40));
        }
    }
}
