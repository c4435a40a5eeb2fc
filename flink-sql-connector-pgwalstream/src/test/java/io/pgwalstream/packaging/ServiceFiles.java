package io.pgwalstream.packaging;

import java.util.List;

/** Reads {@code META-INF/services} files as {@link java.util.ServiceLoader} does. */
final class ServiceFiles {

    private ServiceFiles() {}

    /** The provider class names: one per line, '#' starts a comment, blanks are ignored. */
    static List<String> providers(String serviceFile) {
        return serviceFile
                .lines()
                .map(line -> line.replaceFirst("#.*", "").trim())
                .filter(line -> !line.isEmpty())
                .toList();
    }

    /** The class file of a binary class name, e.g. {@code a/b/C$D.class}. */
    static String classFile(String className) {
        return className.replace('.', '/') + ".class";
    }
}
