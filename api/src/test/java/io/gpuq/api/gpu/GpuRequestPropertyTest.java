package io.gpuq.api.gpu;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

class GpuRequestPropertyTest {

    private static final String GPU = "nvidia.com/gpu";

    @Property
    void anyMilliFractionRoundTrips(@ForAll @IntRange(min = 1, max = 999) int milli,
                                    @ForAll("spellings") Spelling spelling) {
        String written = spelling.write(milli);

        GpuRequest fromAnnotation = GpuRequestParser.parse(Map.of("gpu-fraction", written),
                List.of(new ContainerGpuResources("app", null, null)));
        GpuRequest fromSeed = GpuRequestParser.parse(Map.of(),
                List.of(new ContainerGpuResources("app", Map.of(GPU, written), null)));

        assertThat(fromAnnotation.fractionMilli()).isEqualTo(milli);
        assertThat(fromSeed.fractionMilli()).isEqualTo(milli);
        assertThat(fromAnnotation.fraction()).isEqualTo(fromSeed.fraction());
        assertThat(new BigDecimal(fromAnnotation.fraction()).movePointRight(3).intValueExact()).isEqualTo(milli);
        assertThat(GpuRequestParser.parseFraction("runai/gpu-fraction", fromAnnotation.fraction())).isEqualTo(milli);
    }

    @Property
    void anyStringIsEitherAcceptedOrRejectedWithAUserMessage(@ForAll @Size(max = 80) String text) {
        assertOnlyGpuRequestException(() -> GpuRequestParser.parse(Map.of("gpu-fraction", text), app()));
        assertOnlyGpuRequestException(() -> GpuRequestParser.parse(Map.of("gpu-memory", text), app()));
        assertOnlyGpuRequestException(() -> GpuRequestParser.parse(
                Map.of("gpu-fraction", "0.5", "gpu-fraction-num-devices", text), app()));
        assertOnlyGpuRequestException(() -> GpuRequestParser.parse(
                Map.of("gpu-fraction", "0.5", "gpu-fraction-container-name", text), app()));
        assertOnlyGpuRequestException(() -> GpuRequestParser.parse(Map.of(),
                List.of(new ContainerGpuResources(text, Map.of(GPU, text), Map.of(GPU, text)))));
        assertOnlyGpuRequestException(() -> GpuRequestParser.parseFraction("gpu-fraction", text));
    }

    @Property
    void garbageWithoutDigitsIsAlwaysRejected(@ForAll("garbage") String text) {
        for (Supplier<Object> attempt : List.<Supplier<Object>>of(
                () -> GpuRequestParser.parse(Map.of("gpu-fraction", text), app()),
                () -> GpuRequestParser.parse(Map.of("gpu-memory", text), app()),
                () -> GpuRequestParser.parse(Map.of("gpu-fraction", "0.5", "gpu-fraction-num-devices", text), app()),
                () -> GpuRequestParser.parse(Map.of(), List.of(new ContainerGpuResources("app", Map.of(GPU, text), null))),
                () -> GpuRequestParser.parse(Map.of(), List.of(new ContainerGpuResources("app", null, Map.of(GPU, text)))))) {
            Throwable thrown = catchThrowable(attempt::get);
            assertThat(thrown).isExactlyInstanceOf(GpuRequestException.class);
            assertThat(thrown.getMessage()).contains("is not allowed").doesNotContain("\n");
        }
    }

    @Property
    void wholeRequestIsTheLargerOfTheContainerSumAndAnyInitContainer(
            @ForAll @Size(min = 1, max = 5) List<@IntRange(max = 16) Integer> regular,
            @ForAll @Size(max = 3) List<@IntRange(max = 16) Integer> init,
            @ForAll boolean spellAsMilli) {
        int expected = Math.max(regular.stream().mapToInt(Integer::intValue).sum(),
                init.stream().mapToInt(Integer::intValue).max().orElse(0));

        GpuRequest r = GpuRequestParser.parse(Map.of(), containers("c", regular, spellAsMilli),
                containers("i", init, spellAsMilli));

        if (expected == 0) {
            assertThat(r).isEqualTo(GpuRequest.none());
        } else {
            assertThat(r.kind()).isEqualTo(GpuRequest.Kind.WHOLE);
            assertThat(r.wholeGpus()).isEqualTo(expected);
            assertThat(r.milliGpus()).isEqualTo(expected * 1000L);
        }
    }

    @Provide
    Arbitrary<Spelling> spellings() {
        return Arbitraries.of(Spelling.values());
    }

    @Provide
    Arbitrary<String> garbage() {
        Arbitrary<String> noDigits = Arbitraries.strings().ofMaxLength(40)
                .filter(s -> s.chars().noneMatch(c -> c >= '0' && c <= '9'));
        Arbitrary<String> numberWithJunk = Combinators.combine(
                Arbitraries.integers().between(0, 99),
                Arbitraries.of("x", "%", " GPU", "..", ",5", "e", "ii", "Mb", "/2", "0x"))
                .as((n, junk) -> n + junk);
        return Arbitraries.oneOf(noDigits, numberWithJunk);
    }

    enum Spelling {
        NORMALISED {
            @Override
            String write(int milli) {
                return BigDecimal.valueOf(milli, 3).stripTrailingZeros().toPlainString();
            }
        },
        THREE_DECIMALS {
            @Override
            String write(int milli) {
                return BigDecimal.valueOf(milli, 3).toPlainString();
            }
        },
        LEADING_DOT {
            @Override
            String write(int milli) {
                return BigDecimal.valueOf(milli, 3).toPlainString().substring(1);
            }
        },
        MILLI_SUFFIX {
            @Override
            String write(int milli) {
                return milli + "m";
            }
        };

        abstract String write(int milli);
    }

    private static List<ContainerGpuResources> app() {
        return List.of(new ContainerGpuResources("app", null, null));
    }

    private static List<ContainerGpuResources> containers(String prefix, List<Integer> counts, boolean milli) {
        List<ContainerGpuResources> out = new ArrayList<>();
        for (int i = 0; i < counts.size(); i++) {
            String value = milli ? counts.get(i) * 1000 + "m" : String.valueOf(counts.get(i));
            out.add(new ContainerGpuResources(prefix + i, Map.of(GPU, value), Map.of()));
        }
        return out;
    }

    private static void assertOnlyGpuRequestException(Supplier<?> attempt) {
        Throwable thrown = catchThrowable(attempt::get);
        if (thrown != null) {
            assertThat(thrown).isExactlyInstanceOf(GpuRequestException.class);
            assertThat(thrown.getMessage()).isNotBlank().doesNotContain("\n");
        }
    }
}
