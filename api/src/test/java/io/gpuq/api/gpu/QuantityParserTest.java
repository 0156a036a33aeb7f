package io.gpuq.api.gpu;

import io.gpuq.api.gpu.QuantityParser.Suffix;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;

import static org.assertj.core.api.Assertions.assertThat;

class QuantityParserTest {

    @ParameterizedTest
    @CsvSource({
            "1, 1, NONE",
            "8, 8, NONE",
            "0.5, 0.5, NONE",
            ".25, 0.25, NONE",
            "5., 5, NONE",
            "+2, 2, NONE",
            "-3, -3, NONE",
            "500m, 0.5, DECIMAL",
            "1500u, 0.0015, DECIMAL",
            "2k, 2000, DECIMAL",
            "1E, 1000000000000000000, DECIMAL",
            "1e3, 1000, DECIMAL",
            "25e-2, 0.25, DECIMAL",
            "1Ki, 1024, BINARY",
            "2Gi, 2147483648, BINARY",
            "1.5Mi, 1572864, BINARY",
    })
    void kubernetesQuantities(String text, String expected, Suffix suffix) {
        QuantityParser.Parsed parsed = QuantityParser.parse(text).orElseThrow();

        assertThat(parsed.value()).isEqualByComparingTo(new BigDecimal(expected));
        assertThat(parsed.suffix()).isEqualTo(suffix);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "abc", "1.2.3", "1 m", "1e", "1e1000", "1e99", "0x10", "1_000", "NaN",
            "Infinity", "1ki", "1KI", "m", ".", "+", "1mm", "١"})
    void notQuantities(String text) {
        assertThat(QuantityParser.parse(text)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(ints = {QuantityParser.MAX_LENGTH + 1, 10_000})
    void overlongInputIsRefusedBeforeParsing(int length) {
        assertThat(QuantityParser.parse("1".repeat(length))).isEmpty();
    }
}
