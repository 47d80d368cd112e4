package io.routemq.it;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** routemq-bom names every artifact an app may use: each jar module of the reactor, at the project's version. */
class BomTest {
    /** Modules that are not for apps (fleet: the example app, examples/fleet). */
    private static final Set<String> NOT_PUBLISHED = Set.of("routemq-bench", "routemq-it", "fleet");

    @Test
    void theBomManagesEveryJarModuleOfTheReactor() throws IOException {
        Path root = OfflineAppBuild.shared().checkout();
        Set<String> jars = new TreeSet<>();
        collectJarModules(root, jars);
        jars.removeAll(NOT_PUBLISHED);

        String bom = Files.readString(root.resolve("routemq-bom/pom.xml"));
        Set<String> managed = new TreeSet<>();
        Matcher m = Pattern.compile("<groupId>io\\.routemq</groupId>\\s*<artifactId>([^<]+)</artifactId>\\s*<version>\\$\\{project\\.version}</version>")
                .matcher(bom);
        while (m.find()) managed.add(m.group(1));

        assertThat(jars).as("jar modules of the reactor").contains("routemq-core", "routemq-test");
        assertThat(managed).as("RouteMQ artifacts routemq-bom manages at ${project.version}").containsAll(jars);
    }

    private static void collectJarModules(Path dir, Set<String> jars) throws IOException {
        String pom = Files.readString(dir.resolve("pom.xml"));
        String withoutParent = pom.replaceFirst("(?s)<parent>.*?</parent>", "");
        Matcher id = Pattern.compile("<artifactId>([^<]+)</artifactId>").matcher(withoutParent);
        Matcher packaging = Pattern.compile("<packaging>([^<]+)</packaging>").matcher(withoutParent);
        if (id.find() && (!packaging.find() || packaging.group(1).equals("jar"))) jars.add(id.group(1));
        List<String> modules = new ArrayList<>();
        Matcher mod = Pattern.compile("<module>([^<]+)</module>").matcher(pom);
        while (mod.find()) modules.add(mod.group(1));
        for (String m : modules) collectJarModules(dir.resolve(m), jars);
    }
}
