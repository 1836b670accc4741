package io.iocp4j;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;

import java.util.List;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The shape of core: its packages depend on each other without a cycle, and only the public entry points reach the
 * internal packages, where they construct their implementation.
 *
 * <p>The entry points ({@link Server}, {@link Client}, what they share, and their builders) are the top layer: they
 * configure and construct everything below them, and nothing depends on them. They live in the root package beside
 * the vocabulary the packages below use ({@link Connection}, {@link Handler}, {@link CloseReason}), so each is a
 * slice of its own here: a cycle through the vocabulary is found, and the builders' use of the stage and file types
 * they accept is not taken for one.
 */
@AnalyzeClasses(packages = "io.iocp4j", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    private static final String ROOT = "io.iocp4j";
    private static final String INTERNAL = "io.iocp4j.internal..";
    private static final List<String> ENTRY_POINTS = List.of(ROOT + ".Server", ROOT + ".Client",
            ROOT + ".IoService", ROOT + ".SharedOptions");

    /** The entry points and the classes nested in them (their builders). */
    private static final DescribedPredicate<JavaClass> ENTRY_POINT = DescribedPredicate.describe("an entry point",
            ArchitectureTest::isEntryPoint);

    private static boolean isEntryPoint(JavaClass type) {
        String name = type.getName();
        for (String entry : ENTRY_POINTS) {
            if (name.equals(entry) || name.startsWith(entry + "$")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Every package of core is a slice, the root package and each internal one included; the entry points form one
     * more.
     */
    private static final SliceAssignment PACKAGES = new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass type) {
            String pkg = type.getPackageName();
            if (!pkg.equals(ROOT) && !pkg.startsWith(ROOT + ".")) {
                return SliceIdentifier.ignore();
            }
            if (isEntryPoint(type)) {
                return SliceIdentifier.of("entry points");
            }
            return SliceIdentifier.of(pkg);
        }

        @Override
        public String getDescription() {
            return "core's packages, the root one included, and the entry points";
        }
    };

    // Rules are checked from methods: Surefire 3.5.3 does not run @ArchTest fields.

    @ArchTest
    static void packagesAreFreeOfCycles(JavaClasses core) {
        slices().assignedFrom(PACKAGES).should().beFreeOfCycles().check(core);
    }

    @ArchTest
    static void onlyTheEntryPointsReachInternal(JavaClasses core) {
        noClasses().that().resideOutsideOfPackage(INTERNAL).and(DescribedPredicate.not(ENTRY_POINT))
                .should().dependOnClassesThat().resideInAPackage(INTERNAL)
                .because("the internal packages are not exported: only the entry points construct their "
                        + "implementation")
                .check(core);
    }

    @ArchTest
    static void nothingDependsOnTheEntryPoints(JavaClasses core) {
        noClasses().that(DescribedPredicate.not(ENTRY_POINT))
                .should().dependOnClassesThat(ENTRY_POINT)
                .because("the entry points are the top layer: they construct everything else")
                .check(core);
    }
}
