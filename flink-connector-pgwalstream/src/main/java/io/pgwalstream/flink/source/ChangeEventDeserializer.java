package io.pgwalstream.flink.source;

import io.pgwalstream.changes.ChangeEvent;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.util.Collector;

import java.io.Serializable;

/**
 * Turns a change event into the records the source emits: none, one or several per event (an update
 * may become an update-before and an update-after row).
 *
 * <p>Called on the task thread. The event's tuples are views into the bytes the change was decoded
 * from; those bytes are never reused (see {@link ChangeEvent}), so a record may keep pointing into
 * them — the zero-copy strings of {@code types.string.share-message-buffer} rely on it. Keeping
 * them keeps the whole message alive, so copy small values out of large messages you hold long.
 *
 * <p>{@link ChangeEvent#afterRow()} and {@link ChangeEvent#beforeRow()} read the rows by column
 * name with typed getters ({@link io.pgwalstream.changes.ChangeRow}); the values they return are
 * new objects that do not point into the message.
 */
@PublicEvolving
public interface ChangeEventDeserializer<T> extends Serializable, ResultTypeQueryable<T> {

    /**
     * Called once per source reader, on its task thread, before the first event: register metrics
     * on {@code context.getMetricGroup()} (the reader's group), load resources with its user-code
     * class loader. Does nothing by default.
     */
    default void open(DeserializationSchema.InitializationContext context) throws Exception {}

    void deserialize(ChangeEvent event, Collector<T> out) throws Exception;
}
