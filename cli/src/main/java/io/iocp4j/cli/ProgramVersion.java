package io.iocp4j.cli;

import picocli.CommandLine.IVersionProvider;

import java.lang.module.ModuleDescriptor;

/** {@code --version}: the version the build stamped on the module, or on the jar's manifest. */
final class ProgramVersion implements IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[]{"iocp4j " + version()};
    }

    static String version() {
        ModuleDescriptor descriptor = Main.class.getModule().getDescriptor();
        if (descriptor != null && descriptor.rawVersion().isPresent()) {
            return descriptor.rawVersion().get();
        }
        // On the class path (as in tests) there is no module descriptor.
        String fromManifest = Main.class.getPackage().getImplementationVersion();
        return fromManifest != null ? fromManifest : "(development build)";
    }
}
