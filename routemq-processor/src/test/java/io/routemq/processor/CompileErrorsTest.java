package io.routemq.processor;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Mistakes in controllers are compile errors that carry the file and line of the method, parameter or annotation
 * value that holds them. All the bad controllers compile together once (the processor reports every error it
 * finds), and each test checks its errors.
 */
class CompileErrorsTest {
    static final String BAD = """
            package bad;
            import io.routemq.core.*;
            import io.routemq.core.annotation.*;
            import java.util.List;

            public class Bad {
                @Topic("fleet/#/gps") void pattern() { }                                        // <badPattern>
                @Topic("s/{deviceId}") void notInPattern(@Param String devId) { }               // <notInPattern>
                @Topic("s/{deviceId}/n") void renamed(@Param("device") String id) { }           // <renamedNotInPattern>
                @Topic("c/{n}") void unannotatedInt(int n) { }                                   // <unannotatedInt>
                @Topic("d/{when}") void badParamType(@Param java.util.Date when) { }            // <badParamType>
                @Topic("e/x") void arrays(Object[] values) { }                                   // <array>
                @Topic("e/y") void wildcard(List<?> values) { }                                  // <wildcard>
                @Topic("f/x") void twoPayloads(byte[] raw, String text) { }                      // <twoPayloads>
                @Topic("g/{deviceId}") void forgotParam(String deviceId) { }                     // <forgotParam>
                @Topic("h/x") private void hidden() { }                                          // <private>
                @Topic("i/x") static void shared() { }                                           // <static>
                @Topic("dup/{a}") void first(@Param String a) { }
                @Topic("dup/{a}") void second(@Param String a) { }                               // <duplicate>
                @Topic("dup/{a}") @Shared("g") void sharedIsAnotherRoute(@Param String a) { }
                @Topic(value = "dup/{a}", fanout = true) void fanoutIsAllowed(@Param String a) { }
                @Topic(value = "q/x", qos = 3) void qos() { }                                    // <qos>
                @Topic("r/x") @Shared(value = "a/b", workers = 0) void badShare() { }            // <shareName>
                @Topic(value = "t/x", exclude = "t/#/x") void badExclude() { }                   // <exclude>
                @Topic(value = "u/x", to = {"a", "a"}) void twice() { }                          // <sinkTwice>
                @Topic("v/x") <T> void generic() { }                                              // <generic>
                @Topic("w/x") @Retry(attempts = 0) void retry() { }                              // <retry>
                @Topic(value = "w/y", nonBlocking = true) @Retry(attempts = 3, backoffMillis = 50) void pausing() { } // <pausing>
                @Topic(value = "w/z", nonBlocking = true) @Retry(attempts = 3) void noPause() { }

                class Inner {                                                                    // <inner>
                    @Topic("inner/x") void m() { }
                }
            }
            """;
    static final String OTHER = """
            package bad;
            import io.routemq.core.annotation.*;

            abstract class Other {                                                               // <abstract>
                @Topic("dup/{b}") void elsewhere(@Param String b) { }                            // <duplicateAcross>
            }
            """;
    static final String EMPTY = """
            package bad;
            @io.routemq.core.annotation.Controller
            final class Empty { }                                                                // <emptyController>
            """;

    @TempDir
    static Path dir;
    static InProcessCompiler.Result result;

    @BeforeAll
    static void compile() throws Exception {
        Map<String, String> sources = new LinkedHashMap<>();   // in this order, so that Bad's routes come first
        sources.put("bad.Bad", BAD);
        sources.put("bad.Other", OTHER);
        sources.put("bad.Empty", EMPTY);
        result = InProcessCompiler.compile(dir, sources);
        assertThat(result.success()).isFalse();
    }

    /** Asserts one diagnostic of that kind at the marked line of the file, whose message contains every fragment. */
    static void assertDiagnostic(Diagnostic.Kind kind, String file, String source, String marker, String... fragments) {
        long line = InProcessCompiler.lineOf(source, "<" + marker + ">");
        List<Diagnostic<? extends JavaFileObject>> at = result.diagnostics().stream()
                .filter(d -> d.getKind() == kind && d.getSource() != null && d.getSource().getName().endsWith(file)
                        && d.getLineNumber() == line)
                .toList();
        assertThat(at).as("%s at %s:%d in%n%s", marker, file, line, result.describe()).hasSize(1);
        assertThat(at.get(0).getMessage(Locale.ROOT)).contains(fragments);
    }

    static void assertError(String marker, String... fragments) {
        assertDiagnostic(Diagnostic.Kind.ERROR, "Bad.java", BAD, marker, fragments);
    }

    @Test
    void badPatternsAreReportedAtTheAnnotationWithCoresMessage() {
        assertError("badPattern", "topic pattern 'fleet/#/gps': '#' must be the last level (position 7)");
        assertError("exclude", "exclude: topic pattern 't/#/x'");
    }

    @Test
    void paramsMustBeInThePattern() {
        assertError("notInPattern", "@Param 'devId' is not a parameter of 's/{deviceId}'; its parameters are [deviceId]");
        assertError("renamedNotInPattern", "@Param 'device' is not a parameter of 's/{deviceId}/n'");
        assertError("forgotParam", "parameter deviceId is a String without @Param", "annotate it @Param");
    }

    @Test
    void unsupportedParameterTypes() {
        assertError("unannotatedInt", "parameter n has type int", "the pattern has {n}: annotate it @Param");
        assertError("badParamType", "@Param when has type java.util.Date; a @Param is a String, int, long, double or UUID");
        assertError("array", "parameter values has type java.lang.Object[]");
        assertError("wildcard", "parameter values has type java.util.List<?>");
        assertError("twoPayloads", "parameters raw and text both take the payload");
        assertError("generic", "has type parameters");
    }

    @Test
    void methodAndClassShape() {
        assertError("private", "@Topic method hidden is private");
        assertError("static", "@Topic method shared is static");
        assertError("inner", "controller Inner is an inner class; make Inner static");
        assertDiagnostic(Diagnostic.Kind.ERROR, "Other.java", OTHER, "abstract", "controller Other is abstract");
        assertDiagnostic(Diagnostic.Kind.WARNING, "Empty.java", EMPTY, "emptyController", "@Controller Empty has no @Topic methods");
    }

    @Test
    void duplicateRoutes() {
        assertError("duplicate", "duplicate route: 'dup/{a}' matches the same topics as bad.Bad#first ('dup/{a}')");
        assertDiagnostic(Diagnostic.Kind.ERROR, "Other.java", OTHER, "duplicateAcross", "duplicate route: 'dup/{b}' matches the same topics as bad.Bad#first ('dup/{a}')");
        long errorsOnDupLines = result.errors().stream().filter(d -> d.getMessage(Locale.ROOT).contains("duplicate")).count();
        assertThat(errorsOnDupLines).as("the shared and the fanout route are not duplicates").isEqualTo(2);
    }

    @Test
    void optionValues() {
        assertError("qos", "qos must be 0, 1 or 2, got 3");
        assertError("sinkTwice", "sink 'a' is named twice in 'to'");
        assertError("retry", "attempts must be at least 1, got 0");
        assertError("pausing", "a nonBlocking route runs on the thread that received the message, where a retry must not"
                + " pause: set backoffMillis = 0, or drop nonBlocking");
        long noPause = InProcessCompiler.lineOf(BAD, "void noPause");
        assertThat(result.errors()).as("a retry without a pause is fine").noneMatch(d -> d.getLineNumber() == noPause);
        long line = InProcessCompiler.lineOf(BAD, "<shareName>");
        assertThat(result.errors()).filteredOn(d -> d.getLineNumber() == line).extracting(d -> d.getMessage(Locale.ROOT))
                .containsExactlyInAnyOrder("shared group name 'a/b' must be non-empty and must not contain '/', '+' or '#'",
                        "workers must be at least 1, got 0");
    }

    @Test
    void nothingIsGeneratedForAControllerWithErrors() {
        assertThat(dir.resolve("generated/bad/Bad_Routes.java")).doesNotExist();
    }
}
