# syntax=docker/dockerfile:1
# The gpuq/gpuq image: one jar that runs the webhook, the scheduler and the reservation pods.
#   docker build -t gpuq/gpuq:0.1.0 .
#   docker run --rm gpuq/gpuq:0.1.0 --help
# ContainerImageTest (deploy/) keeps this file and charts/gpuq in line.

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
# The Maven repository is a build cache: a rebuild downloads only what changed. -pl cli -am builds the
# modules the launcher needs (not the benchmarks or the chart tests).
RUN --mount=type=cache,target=/root/.m2/repository \
    mvn -B -ntp -DskipTests -pl cli -am package

FROM eclipse-temurin:17-jre
LABEL org.opencontainers.image.title="gpuq" \
      org.opencontainers.image.description="Run:ai-compatible GPU admission webhook and scheduler for Kubernetes"
COPY --from=build /src/cli/target/gpuq.jar /opt/gpuq/gpuq.jar
# The chart mounts an emptyDir at /tmp and makes the root filesystem read-only: /tmp is the only place
# gpuq may write (gpuq demo writes .gpuq/ under the working directory).
ENV HOME=/tmp
WORKDIR /tmp
# The chart's runAsUser/runAsGroup; numeric so that runAsNonRoot can be checked by the kubelet.
USER 65532:65532
# The chart's command; reservation pods set only the arguments (reserve), so this entrypoint runs them.
ENTRYPOINT ["java", "-jar", "/opt/gpuq/gpuq.jar"]
CMD ["--help"]
