package io.pgwalstream.flink.source;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Collects the messages logged under {@code io.pgwalstream} while open: at WARN or above, or from a
 * given level.
 */
final class LogCapture implements AutoCloseable {

    private static final String LOGGER = "io.pgwalstream";

    private final List<String> messages = new CopyOnWriteArrayList<>();
    private final LoggerContext context = (LoggerContext) LogManager.getContext(false);
    private final LoggerConfig config;
    private final AbstractAppender appender;

    LogCapture() {
        this(Level.WARN);
    }

    LogCapture(Level level) {
        config = context.getConfiguration().getLoggerConfig(LOGGER);
        appender =
                new AbstractAppender(
                        "capture-" + System.identityHashCode(this),
                        null,
                        null,
                        true,
                        Property.EMPTY_ARRAY) {
                    @Override
                    public void append(LogEvent event) {
                        messages.add(event.getMessage().getFormattedMessage());
                    }
                };
        appender.start();
        config.addAppender(appender, level, null);
        context.updateLoggers();
    }

    List<String> messages() {
        return List.copyOf(messages);
    }

    @Override
    public void close() {
        config.removeAppender(appender.getName());
        context.updateLoggers();
        appender.stop();
    }
}
