package io.pgwalstream.packaging;

import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;

/**
 * A class loader that sees only one jar and the JDK: pgjdbc is on this module's test class path
 * too, so a test of what the shaded jar contains must not fall back to that copy.
 */
final class IsolatedJarLoader {

    private IsolatedJarLoader() {}

    static URLClassLoader of(Path jar) {
        try {
            return new URLClassLoader(
                    "shaded-jar",
                    new URL[] {jar.toUri().toURL()},
                    ClassLoader.getPlatformClassLoader());
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("Not a file path: " + jar, e);
        }
    }
}
