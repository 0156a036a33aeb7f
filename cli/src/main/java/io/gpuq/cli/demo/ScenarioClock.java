package io.gpuq.cli.demo;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/**
 * The demo cluster's time. Until {@link #start()} it is the wall clock, so that what the demo sets up
 * is stamped in the order it was made; from {@code start()} on it runs {@code speed} times faster,
 * and scenario time 0 is that moment. The scheduler counts costs and wait times in it, the API
 * server stamps creation times with it, so everything a user reads is in scenario time.
 */
final class ScenarioClock implements InstantSource {
    private final double speed;
    private final InstantSource wall;
    private volatile Anchor anchor;

    private record Anchor(Instant instant, long nanos) {
    }

    ScenarioClock(double speed) {
        this(speed, InstantSource.system());
    }

    ScenarioClock(double speed, InstantSource wall) {
        if (!(speed > 0) || Double.isInfinite(speed)) {
            throw new IllegalArgumentException("speed must be a positive number, was " + speed);
        }
        this.speed = speed;
        this.wall = wall;
    }

    /** Scenario time 0 is now; the clock runs {@code speed} times faster from here. */
    synchronized void start() {
        if (anchor != null) {
            throw new IllegalStateException("the scenario clock is already started");
        }
        anchor = new Anchor(wall.instant(), System.nanoTime());
    }

    boolean started() {
        return anchor != null;
    }

    @Override
    public Instant instant() {
        Anchor a = anchor;
        if (a == null) {
            return wall.instant();
        }
        return a.instant().plusNanos(Math.round((System.nanoTime() - a.nanos()) * speed));
    }

    /** Scenario seconds since {@link #start()}; 0 before it. */
    double seconds() {
        Anchor a = anchor;
        return a == null ? 0 : (System.nanoTime() - a.nanos()) * speed / 1e9;
    }

    /** Wall time until scenario time {@code scenarioSeconds}; zero when it has passed. */
    Duration wallUntil(double scenarioSeconds) {
        double remaining = (scenarioSeconds - seconds()) / speed;
        return remaining <= 0 ? Duration.ZERO : Duration.ofNanos(Math.round(remaining * 1e9));
    }

    /** How long {@code scenario} lasts on the wall clock. */
    Duration toWall(Duration scenario) {
        return Duration.ofNanos(Math.round(scenario.toNanos() / speed));
    }

    /** How long {@code wallTime} lasts in scenario time. */
    Duration toScenario(Duration wallTime) {
        return Duration.ofNanos(Math.round(wallTime.toNanos() * speed));
    }
}
