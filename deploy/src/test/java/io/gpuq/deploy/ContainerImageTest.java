package io.gpuq.deploy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Dockerfile at the repository root builds the image the chart runs: its entrypoint is the chart's
 * command (reservation pods set only arguments), its user is the chart's runAsUser/runAsGroup, its
 * runtime is a JRE of the Java release the poms compile for, and it copies the jar the build stage
 * makes.
 */
class ContainerImageTest {

    private static Dockerfile dockerfile;
    private static Dockerfile.Stage runtime;
    private static List<JsonNode> deployments;

    @BeforeAll
    static void read() throws IOException {
        dockerfile = Dockerfile.parse(Files.readString(RepoFiles.root().resolve("Dockerfile")));
        runtime = dockerfile.last();
        deployments = Chart.render("").kind("Deployment");
        assertThat(deployments).as("Deployments of the chart").hasSize(2);
    }

    @Test
    void theEntrypointIsTheCommandOfTheChartsContainers() {
        List<String> entrypoint = runtime.execForm("ENTRYPOINT");
        assertThat(entrypoint).as("ENTRYPOINT of the final stage").contains("-jar");
        for (JsonNode container : containers()) {
            assertThat(strings(container.path("command"))).as("command of container %s", container.path("name").asText())
                    .isEqualTo(entrypoint);
        }
    }

    @Test
    void theJarTheChartRunsIsTheOneTheImageCopies() {
        for (JsonNode container : containers()) {
            assertThat(runtime.copiedTo()).as("COPY destinations of the final stage")
                    .contains(jarOf(strings(container.path("command"))));
        }
    }

    @Test
    void theImageRunsAsTheChartsUserAndGroup() {
        String user = runtime.last("USER").orElseThrow(() -> new AssertionError("no USER in the final stage"));
        Matcher m = Pattern.compile("(\\d+):(\\d+)").matcher(user);
        assertThat(m.matches()).as("USER %s is a numeric uid:gid (runAsNonRoot needs a numeric user)", user).isTrue();
        assertThat(Integer.parseInt(m.group(1))).as("uid").isPositive();
        for (JsonNode deployment : deployments) {
            JsonNode pod = deployment.path("spec").path("template").path("spec");
            for (JsonNode container : pod.path("containers")) {
                String name = container.path("name").asText();
                assertThat(effective(pod, container, "runAsUser")).as("runAsUser of %s", name).isEqualTo(m.group(1));
                assertThat(effective(pod, container, "runAsGroup")).as("runAsGroup of %s", name).isEqualTo(m.group(2));
            }
        }
    }

    @Test
    void theRuntimeIsAJreOfTheReleaseThePomsCompileFor() {
        String release = text(xml(RepoFiles.root().resolve("pom.xml")), "properties", "maven.compiler.release");
        assertThat(release).as("maven.compiler.release of the root pom").matches("\\d+");
        Image image = Image.of(runtime.image());
        assertThat(image.name()).as("final stage base %s", runtime.image()).isEqualTo("eclipse-temurin");
        // eclipse-temurin tags: 17-jre, 17.0.15_6-jre, 17-jre-noble, ...; -jdk images are not runtimes.
        assertThat(image.tag()).as("final stage base %s", runtime.image())
                .matches(Pattern.quote(release) + "([._][0-9._]*)?-jre(-.+)?");
        Image builder = Image.of(buildStage().image());
        assertThat(builder.tag()).as("build stage base %s", buildStage().image())
                .contains("temurin-" + release);
    }

    @Test
    void theBuildStagePackagesTheJarTheImageCopies() {
        Path cliPom = RepoFiles.root().resolve("cli/pom.xml");
        String finalName = text(xml(cliPom), "build", "finalName");
        Dockerfile.Stage build = buildStage();
        String jar = "cli/target/" + finalName + ".jar";
        assertThat(runtime.copiedFrom(build.name())).as("what the final stage copies from stage %s", build.name())
                .contains(build.resolve(jar));

        List<List<String>> mvn = build.all("RUN").stream()
                .map(Dockerfile::words)
                .filter(words -> words.contains("mvn"))
                .toList();
        assertThat(mvn).as("mvn runs of stage %s", build.name()).isNotEmpty();
        List<String> last = mvn.get(mvn.size() - 1);
        assertThat(last).as("last mvn run of stage %s", build.name()).contains("package");
        int projects = last.indexOf("-pl");
        if (projects >= 0) {
            // Only some modules: the launcher's must be one of them, with the modules it depends on.
            assertThat(Arrays.asList(last.get(projects + 1).split(","))).as("-pl of %s", last).contains("cli");
            assertThat(last).as("mvn run %s", last).contains("-am");
        }
    }

    @Test
    void theWorkingDirectoryIsOnAVolumeTheChartMounts() {
        String workdir = runtime.last("WORKDIR").orElse("/");
        for (JsonNode deployment : deployments) {
            JsonNode pod = deployment.path("spec").path("template").path("spec");
            for (JsonNode container : pod.path("containers")) {
                String name = container.path("name").asText();
                assertThat(container.path("securityContext").path("readOnlyRootFilesystem").asBoolean())
                        .as("readOnlyRootFilesystem of %s", name).isTrue();
                List<String> mounts = StreamSupport.stream(container.path("volumeMounts").spliterator(), false)
                        .map(v -> v.path("mountPath").asText())
                        .toList();
                assertThat(mounts).as("volume mounts of %s, where WORKDIR %s must lie", name, workdir)
                        .anyMatch(mount -> workdir.equals(mount) || workdir.startsWith(mount + "/"));
            }
        }
    }

    @Test
    void theParserJoinsContinuationsAndDropsComments() {
        Dockerfile parsed = Dockerfile.parse("""
                # syntax=docker/dockerfile:1
                FROM --platform=$BUILDPLATFORM maven:3 AS build
                WORKDIR /src
                RUN --mount=type=cache,target=/root/.m2 \\
                # a comment inside the continuation
                    mvn -B \\
                      package
                FROM base:1
                COPY --from=build --chown=1:1 /src/a.jar /opt/a.jar
                entrypoint [ "java", "-jar",  "/opt/a.jar" ]
                """);
        assertThat(parsed.stages()).hasSize(2);
        assertThat(parsed.stages().get(0).name()).isEqualTo("build");
        assertThat(parsed.stages().get(0).image()).isEqualTo("maven:3");
        assertThat(Dockerfile.words(parsed.stages().get(0).all("RUN").get(0))).containsExactly("mvn", "-B", "package");
        assertThat(parsed.stages().get(0).resolve("a.jar")).isEqualTo("/src/a.jar");
        assertThat(parsed.last().copiedFrom("build")).containsExactly("/src/a.jar");
        assertThat(parsed.last().copiedTo()).containsExactly("/opt/a.jar");
        assertThat(parsed.last().execForm("ENTRYPOINT")).containsExactly("java", "-jar", "/opt/a.jar");
    }

    /** The stage the final stage copies the jar from. */
    private static Dockerfile.Stage buildStage() {
        List<String> from = runtime.all("COPY").stream()
                .map(Dockerfile::flags)
                .map(flags -> flags.get("from"))
                .filter(s -> s != null)
                .distinct()
                .toList();
        assertThat(from).as("stages the final stage copies from").hasSize(1);
        return dockerfile.stage(from.get(0));
    }

    private static List<JsonNode> containers() {
        List<JsonNode> containers = new ArrayList<>();
        for (JsonNode deployment : deployments) {
            deployment.path("spec").path("template").path("spec").path("containers").forEach(containers::add);
        }
        assertThat(containers).isNotEmpty();
        return containers;
    }

    private static String jarOf(List<String> command) {
        int jar = command.indexOf("-jar");
        assertThat(jar).as("-jar in %s", command).isNotNegative().isLessThan(command.size() - 1);
        return command.get(jar + 1);
    }

    /** A security context field of a container, else of its pod (the container's wins). */
    private static String effective(JsonNode pod, JsonNode container, String field) {
        JsonNode own = container.path("securityContext").path(field);
        return (own.isMissingNode() ? pod.path("securityContext").path(field) : own).asText();
    }

    private static List<String> strings(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }

    private static Document xml(Path file) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return factory.newDocumentBuilder().parse(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ParserConfigurationException | SAXException e) {
            throw new IllegalStateException("cannot parse " + file, e);
        }
    }

    /** The text of project/parent/child in a pom. */
    private static String text(Document pom, String parent, String child) {
        for (Node n = pom.getDocumentElement().getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(parent)) {
                for (Node c = e.getFirstChild(); c != null; c = c.getNextSibling()) {
                    if (c instanceof Element ce && ce.getTagName().equals(child)) {
                        return ce.getTextContent().trim();
                    }
                }
            }
        }
        throw new AssertionError("no project/" + parent + "/" + child + " in the pom");
    }

    /** An image reference: [registry/]name[:tag][@digest]. */
    record Image(String name, String tag) {

        static Image of(String reference) {
            String ref = reference.contains("@") ? reference.substring(0, reference.indexOf('@')) : reference;
            int colon = ref.lastIndexOf(':');
            if (colon > ref.lastIndexOf('/')) {
                return new Image(ref.substring(0, colon), ref.substring(colon + 1));
            }
            return new Image(ref, "latest");
        }
    }

    /**
     * A Dockerfile read as far as these tests need: instructions (continuation lines joined, comments
     * dropped) grouped into stages.
     */
    record Dockerfile(List<Stage> stages) {

        private static final Pattern FLAG = Pattern.compile("--([a-z-]+)(?:=(\\S*))?");

        record Instruction(String keyword, String arguments) {
        }

        record Stage(String image, String name, List<Instruction> instructions) {

            List<String> all(String keyword) {
                return instructions.stream().filter(i -> i.keyword().equals(keyword)).map(Instruction::arguments).toList();
            }

            Optional<String> last(String keyword) {
                List<String> all = all(keyword);
                return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
            }

            /** The last instruction of the kind, which must be in exec (JSON array) form. */
            List<String> execForm(String keyword) {
                String arguments = last(keyword).orElseThrow(() -> new AssertionError("no " + keyword + " in stage " + name));
                try {
                    JsonNode array = Yaml.JSON.readTree(arguments);
                    assertThat(array.isArray()).as("%s %s is in exec form", keyword, arguments).isTrue();
                    return strings(array);
                } catch (JsonProcessingException e) {
                    throw new AssertionError(keyword + " " + arguments + " is not in exec form", e);
                }
            }

            /** A path of this stage's file system: relative ones against the last WORKDIR. */
            String resolve(String path) {
                if (path.startsWith("/")) {
                    return path;
                }
                String dir = last("WORKDIR").orElse("/");
                return (dir.endsWith("/") ? dir : dir + "/") + path;
            }

            /** Sources of the COPY instructions that copy from the given stage. */
            List<String> copiedFrom(String stage) {
                return all("COPY").stream()
                        .filter(copy -> stage.equals(flags(copy).get("from")))
                        .flatMap(copy -> {
                            List<String> paths = words(copy);
                            return paths.subList(0, paths.size() - 1).stream();
                        })
                        .toList();
            }

            /** Destinations of the COPY instructions. */
            List<String> copiedTo() {
                return all("COPY").stream().map(Dockerfile::words).map(paths -> paths.get(paths.size() - 1)).toList();
            }
        }

        static Dockerfile parse(String text) {
            List<String> instructions = new ArrayList<>();
            StringBuilder current = null;
            for (String raw : text.split("\n", -1)) {
                String line = raw.strip();
                if (line.startsWith("#") || line.isEmpty()) {
                    continue;
                }
                boolean continues = line.endsWith("\\");
                String part = continues ? line.substring(0, line.length() - 1).strip() : line;
                current = current == null ? new StringBuilder(part) : current.append(' ').append(part);
                if (!continues) {
                    instructions.add(current.toString().strip());
                    current = null;
                }
            }
            if (current != null) {
                instructions.add(current.toString().strip());
            }

            List<Stage> stages = new ArrayList<>();
            for (String instruction : instructions) {
                String[] split = instruction.split("\\s+", 2);
                String keyword = split[0].toUpperCase(Locale.ROOT);
                String arguments = split.length > 1 ? split[1].strip() : "";
                if (keyword.equals("FROM")) {
                    List<String> words = words(arguments);
                    String name = words.size() >= 3 && words.get(1).equalsIgnoreCase("AS")
                            ? words.get(2) : Integer.toString(stages.size());
                    stages.add(new Stage(words.get(0), name, new ArrayList<>()));
                } else {
                    assertThat(stages).as("%s before any FROM", keyword).isNotEmpty();
                    stages.get(stages.size() - 1).instructions().add(new Instruction(keyword, arguments));
                }
            }
            assertThat(stages).as("stages of the Dockerfile").isNotEmpty();
            return new Dockerfile(stages);
        }

        Stage last() {
            return stages.get(stages.size() - 1);
        }

        Stage stage(String name) {
            return stages.stream().filter(s -> s.name().equals(name)).findFirst()
                    .orElseThrow(() -> new AssertionError("no stage " + name + " in the Dockerfile"));
        }

        /** The --name=value flags at the start of an instruction's arguments. */
        static Map<String, String> flags(String arguments) {
            Map<String, String> flags = new LinkedHashMap<>();
            for (String word : arguments.split("\\s+")) {
                Matcher m = FLAG.matcher(word);
                if (!m.matches()) {
                    break;
                }
                flags.put(m.group(1), m.group(2) == null ? "" : m.group(2));
            }
            return flags;
        }

        /** The words of an instruction's arguments after its leading --flags. */
        static List<String> words(String arguments) {
            List<String> words = new ArrayList<>(Arrays.asList(arguments.strip().split("\\s+")));
            while (!words.isEmpty() && FLAG.matcher(words.get(0)).matches()) {
                words.remove(0);
            }
            return words;
        }
    }
}
