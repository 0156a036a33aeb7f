package io.gpuq.cli.demo;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How {@code gpuq demo} runs (DESIGN §6).
 *
 * @param scenarioFile     a §7 scenario, or null for the bundled seed scenario
 * @param speed            scenario seconds per wall second
 * @param forever          keep serving after the replay until stopped
 * @param workingDirectory where {@code .gpuq/demo} is written
 */
public record DemoOptions(Path scenarioFile, double speed, boolean forever, int apiPort, int webhookPort,
                          int metricsPort, Path workingDirectory) {
    public static final int DEFAULT_API_PORT = 16443;
    public static final int DEFAULT_WEBHOOK_PORT = 18443;
    public static final int DEFAULT_METRICS_PORT = 19090;

    public DemoOptions {
        Objects.requireNonNull(workingDirectory, "workingDirectory");
    }
}
